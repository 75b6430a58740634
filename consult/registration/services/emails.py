"""Every registration email: queued in the request, composed by the sender.

Registering queues one outbox row that names the kind of message and the
registration (``queue_registration_email``: one INSERT, no rendering); the
sender composes it when its turn comes (``compose_registration_email``), from
the registration as it is then. A message that is no longer right by then (the
person erased their data, or their registration changed so the message would
state something untrue) is withdrawn with the reason instead of sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, cast, literal

from consult.calendar.ics import invite_attachments
from consult.content import text_in
from consult.dial_in import dial_in_for
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.composers import (
    Composed,
    Withdrawn,
    register_composer,
)
from consult.notifications.models import OutboundEmail
from consult.notifications.queued_rows import insert_row_once
from consult.notifications.services import (
    EmailAttachment,
    composed_email_row,
    render_bodies,
)
from consult.notifications.withdrawals import invite_may_be_held
from consult.platforms.models import join_link_for
from consult.registration.models import Registration
from consult.registration.services.next_steps import next_steps
from consult.registration.services.sms_queue import queue_registration_sms
from consult.registration.services.tokens import manage_url
from consult.timeutil import now_utc

COMPOSER = "registration"
# Bumped when a kind's templates change what they need from ``params``.
TEMPLATE_VERSION = 1

SUBJECTS = {
    "confirmed": lambda: _("You are registered: %(title)s"),
    "waitlisted": lambda: _("You are on the waiting list: %(title)s"),
    "pending": lambda: _("Your registration awaits approval: %(title)s"),
    "approved": lambda: _("Your registration is approved: %(title)s"),
    "rejected": lambda: _("Your registration was not accepted: %(title)s"),
    "promoted": lambda: _("A seat is free for you: %(title)s"),
    "cancelled": lambda: _("Your registration is cancelled: %(title)s"),
    "link_resent": lambda: _("Your registration link: %(title)s"),
    "join_link": lambda: _("Your personal join link: %(title)s"),
}
# Kinds after which the person holds a seat: only these show the join link.
SEATED_KINDS = {"confirmed", "approved", "promoted", "join_link"}
# Kinds whose email lists the next steps, as the thank-you page does.
STEP_KINDS = {"confirmed", "waitlisted", "pending", "approved", "promoted"}
# Kinds that take a seat away: a calendar copy, if one was sent, is cancelled.
WITHDRAWN_KINDS = {"cancelled", "rejected"}
# The statuses a kind's text states; composed for a registration in another
# status (it changed while the message waited), the message is withdrawn:
# the message of the change that followed tells the person what holds now.
STATED_STATUSES = {
    "confirmed": {"confirmed"},
    "promoted": {"confirmed"},
    "waitlisted": {"waitlisted"},
    "pending": {"pending"},
    "approved": {"confirmed", "waitlisted"},
    "rejected": {"rejected"},
    "cancelled": {"cancelled"},
    "join_link": {"confirmed"},
}


def confirmation_attachments(
    registration: Registration, *, now: datetime | None = None
) -> tuple[EmailAttachment, ...]:
    """The calendar invite (METHOD:REQUEST) for a confirmed registrant, else nothing."""
    if registration.status != "confirmed" or not registration.email:
        return ()
    return invite_attachments(registration, now=now or now_utc())


def join_context(registration: Registration | None) -> dict[str, Any]:
    """``join_url`` and ``join_personal`` for a message's text: the person's
    own link when the platform gave one, else the event's shared link."""
    link = join_link_for(registration) if registration is not None else None
    return {
        "join_url": link.url if link else "",
        "join_personal": bool(link and link.personal),
    }


def queue_registration_email(
    registration: Registration,
    kind: str,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
    dedup_suffix: str = "",
) -> bool:
    """Queue the email of one kind to a registrant; False when none is queued.

    Nothing is queued for a registration without an address (assisted
    registrations are told by the organiser) or one already queued under the
    same key. ``extra``: values fixed now for the text (the waiting-list place
    the thank-you page showed).
    """
    if registration.sms_allowed:
        queue_registration_sms(
            registration.id,
            kind,
            phone=registration.phone,
            event_id=registration.event_id,
            now=now,
            dedup_suffix=dedup_suffix,
        )
    if not registration.email or registration.erased_at is not None:
        if kind not in SUBJECTS:
            raise ValueError(f"unknown registration email {kind!r}")
        return False
    return queue_registration_email_to(
        registration.id,
        kind,
        email=registration.email,
        full_name=registration.full_name,
        event=registration.event,
        now=now,
        waitlist_place=(extra or {}).get("waitlist_place"),
        dedup_suffix=dedup_suffix,
        # Whether a calendar copy was sent is known now; by the time the
        # message is composed the registration may have been reset.
        cancel_invite=kind in WITHDRAWN_KINDS and registration.confirmed_at is not None,
    )


def queue_registration_email_to(registration_id: int, kind: str, **values) -> bool:
    """``queue_registration_email`` from the registration's values (the fast
    path); ``registration_email_row``'s arguments."""
    return (
        insert_row_once(registration_email_row(registration_id, kind, **values))
        is not None
    )


def registration_dedup_key(registration_id: int, kind: str) -> str:
    """The outbox's deduplication key of a registration's email of ``kind``."""
    return f"registration:{registration_id}:{kind}"


def registration_dedup_key_sql(registration_id, kind: str):
    """``registration_dedup_key`` as an SQL expression, for a statement that
    inserts the registration and its email together (register_one.py):
    ``registration_id`` is the new row's id column."""
    return (
        literal("registration:", String)
        + cast(registration_id, String)
        + literal(f":{kind}", String)
    )


def registration_email_row(
    registration_id: int,
    kind: str,
    *,
    email: str,
    full_name: str,
    event,
    now: datetime,
    waitlist_place: int | None = None,
    dedup_suffix: str = "",
    cancel_invite: bool = False,
) -> dict[str, Any]:
    """The outbox row of a registration email, for the sender to compose."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown registration email {kind!r}")
    key = registration_dedup_key(registration_id, kind)
    if dedup_suffix:
        key += f":{dedup_suffix}"
    params: dict[str, Any] = {"kind": kind, "version": TEMPLATE_VERSION}
    if waitlist_place:
        params["waitlist_place"] = int(waitlist_place)
    if cancel_invite:
        params["cancel_invite"] = True
    return composed_email_row(
        composer=COMPOSER,
        template=f"registration_{kind}",
        to=email,
        to_name=full_name,
        subject=SUBJECTS[kind]() % {"title": text_in(event, "title")},
        params=params,
        dedup_key=key,
        now=now,
        event_id=event.id,
        registration_id=registration_id,
    )


def addressed_registration_any(row: OutboundEmail) -> Registration:
    """The registration a queued message (email or SMS) is to, as it is now;
    Withdrawn when it is gone or its person erased their data."""
    registration = (
        db.session.get(Registration, row.registration_id)
        if row.registration_id is not None
        else None
    )
    if registration is None:
        raise Withdrawn(_("The registration no longer exists."))
    if registration.erased_at is not None:
        raise Withdrawn(_("The person erased their data before this message left."))
    return registration


def addressed_registration(row: OutboundEmail) -> Registration:
    """The registration a queued message is to, as it is now.

    Every composer of a message to a registrant starts here: Withdrawn when
    the registration is gone, its person erased their data, or its address
    is no longer the one the message was queued for.
    """
    registration = addressed_registration_any(row)
    if not registration.email:
        raise Withdrawn(_("The person erased their data before this message left."))
    if registration.email.lower() != row.recipient.lower():
        raise Withdrawn(
            _("The registration's address changed before this message left.")
        )
    return registration


def check_still_stated(kind: str, registration: Registration) -> None:
    """Withdrawn when a registration message of this kind (email or SMS) would
    state what is no longer true: the status it announces changed, or the
    event was cancelled (except in the messages that say it is off)."""
    stated = STATED_STATUSES.get(kind)
    if stated is not None and registration.status not in stated:
        raise Withdrawn(
            _(
                "Before this message left, the registration's status changed to: "
                "%(status)s.",
                status=registration.status,
            )
        )
    if registration.event.is_cancelled and kind not in WITHDRAWN_KINDS:
        raise Withdrawn(_("The event was cancelled before this message left."))


def compose_registration_email(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued registration email, from the registration as it is now."""
    params = row.params or {}
    kind = params.get("kind")
    if kind not in SUBJECTS:
        raise ValueError(f"unknown registration email {kind!r}")
    registration = addressed_registration(row)
    check_still_stated(kind, registration)
    return registration_email_text(
        registration,
        kind,
        now=now,
        waitlist_place=params.get("waitlist_place"),
        # A calendar CANCEL only for a copy the person may hold: not when the
        # confirmation that would have carried it never left.
        cancel_invite=bool(params.get("cancel_invite"))
        and invite_may_be_held(registration.id),
    )


def _steps_context(registration: Registration, kind: str, *, now: datetime) -> dict:
    """What the thank-you page lists as next steps, for the email: the same
    items, with the personal page's link that the page leaves out."""
    if kind not in STEP_KINDS:
        return {"steps": None}
    event = registration.event
    steps = next_steps(
        event.id, registration.status, registration.stakeholder_type_id, now=now
    )
    public = steps.public_survey
    return {
        "steps": steps,
        "challenges_url": external_url("challenges.public", slug=event.slug),
        "public_survey_url": external_url(
            "surveys.public_answer", slug=event.slug, token=public.public_token
        )
        if public is not None
        else "",
    }


def registration_email_text(
    registration: Registration,
    kind: str,
    *,
    now: datetime,
    waitlist_place: int | None = None,
    cancel_invite: bool = False,
) -> Composed:
    """The email of one kind for a registration as it is (no check that it fits)."""
    event = registration.event
    seated = kind in SEATED_KINDS and registration.status == "confirmed"
    if waitlist_place is None and registration.status == "waitlisted":
        waitlist_place = registration.waitlist_place
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "manage_url": manage_url(registration),
        **join_context(registration if seated else None),
        "dial_in": dial_in_for(event, registration.country) if seated else None,
        "viewer_zone": registration.timezone or event.timezone,
        "waitlist_place": waitlist_place,
        **_steps_context(registration, kind, now=now),
    }
    # In the person's language, in a request or in the sender alike: the
    # texts, the dates and the calendar invite's SUMMARY and DESCRIPTION.
    with composing_for(registration) as language:
        body_text, body_html = render_bodies(
            f"registration_{kind}", context, language=language
        )
        if seated:
            attachments = confirmation_attachments(registration, now=now)
        elif cancel_invite:
            attachments = invite_attachments(registration, now=now, method="CANCEL")
        else:
            attachments = ()
        subject = SUBJECTS[kind]() % {"title": text_in(event, "title")}
    return Composed(
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        language=language,
    )


register_composer(COMPOSER, compose_registration_email)
