"""What the organiser checks before a message goes to many people: how many
it reaches in each status, the message one real recipient would get, and a
test sent to the organiser alone (the rules: ``bulk_message.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, case, func, select

from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.controls import (
    TEST_SUBJECT_PREFIX,
    check_test_budget,
    key_for_test_send,
    sample_registration,
)
from consult.notifications.models import OutboundEmail
from consult.notifications.services import queue_email, render_bodies
from consult.registration.models import REGISTRATION_STATUSES, Registration
from consult.registration.services.bulk_message import (
    TEMPLATE,
    Texts,
    prepare_message,
    recipients_filter,
)
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    filter_conditions,
)

# The people offered to preview the message for (the first by name).
PREVIEW_CHOICES = 200
_REACHABLE = and_(
    func.coalesce(Registration.email, "") != "", Registration.erased_at.is_(None)
)


@dataclass(frozen=True)
class StatusCount:
    status: str
    reachable: int  # with an address, not erased: the message reaches them
    unreachable: int


def status_counts(event: Event, filters: RegistrantFilter) -> list[StatusCount]:
    """For each registration status, how many people the list's other
    filters leave, reachable by email or not: one GROUP BY query."""
    anyone = replace(filters, status="", statuses=())
    reached = func.sum(case((_REACHABLE, 1), else_=0))
    rows = db.session.execute(
        select(Registration.status, reached, func.count(Registration.id))
        .where(*filter_conditions(event, anyone))
        .group_by(Registration.status)
    )
    found = {status: (int(yes or 0), int(total)) for status, yes, total in rows}
    return [
        StatusCount(status, found.get(status, (0, 0))[0], _left(found, status))
        for status in REGISTRATION_STATUSES
    ]


def _left(found: dict, status: str) -> int:
    reached, total = found.get(status, (0, 0))
    return total - reached


def preview_recipients(event: Event, filters: RegistrantFilter) -> list[Registration]:
    """The people the message reaches, by name: whom it can be previewed for."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(*filter_conditions(event, recipients_filter(filters)), _REACHABLE)
            .order_by(func.lower(Registration.full_name), Registration.id)
            .limit(PREVIEW_CHOICES)
        )
    )


@dataclass(frozen=True)
class MessagePreview:
    registration: Registration
    subject: str
    text: str
    html: str
    language: str


def preview_message(
    event: Event,
    filters: RegistrantFilter,
    actor,
    *,
    subject: str | None,
    body: str | None,
    texts: Mapping[str, tuple[str | None, str | None]] | None = None,
    registration_id: int | None = None,
) -> MessagePreview | None:
    """The message one recipient would get, rendered as the outbox renders it
    (text and HTML), queuing nothing: ``registration_id`` if they are among
    the recipients, else the first by name; None when nobody is reached."""
    require_manager(actor, event)
    checked = Texts.checked(event, subject, body, texts)
    people = preview_recipients(event, filters)
    if not people:
        return None
    person = next((p for p in people if p.id == registration_id), people[0])
    message = prepare_message(event, person, checked, actor)
    with composing_for(message.language) as language:
        text, html = render_bodies(TEMPLATE, message.context, language=language)
    return MessagePreview(person, message.subject, text, html, language)


def send_test_message(
    event: Event,
    actor,
    *,
    subject: str | None,
    body: str | None,
    texts: Mapping[str, tuple[str | None, str | None]] | None = None,
    now: datetime,
) -> OutboundEmail:
    """Queue ONE message to the organiser's own address, "[Test]" first, as
    they would get it as a registrant reading their own language; nothing
    goes to anyone else. Test sends are limited as for reminders."""
    require_manager(actor, event)
    checked = Texts.checked(event, subject, body, texts)
    check_test_budget(actor, now=now)
    sample = sample_registration(event, actor, now=now)
    sample.language = actor.language
    message = prepare_message(event, sample, checked, actor)
    with composing_for(message.language) as language:
        return queue_email(
            template=TEMPLATE,
            to=actor.email,
            to_name=actor.name or "",
            subject=TEST_SUBJECT_PREFIX + message.subject,
            context=message.context,
            dedup_key=key_for_test_send(actor, f"message:{event.id}"),
            now=now,
            event=event,
            language=language,
        )
