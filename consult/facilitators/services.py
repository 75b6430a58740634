"""Facilitators: invited by an event's organisers, they register people and
record their priorities on their behalf (in person, by phone, on paper).

A facilitator account reaches only its own events' facilitator pages, and on
them only the people it registered: never the registrant list, the exports,
the dashboard or another facilitator's people. Services take ``now``, flush
and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.auth.models import User
from consult.auth.services import find_user_by_email, invitation_link, normalise_email
from consult.challenges.services.priorities import save_priorities
from consult.content import text_in
from consult.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.facilitators.models import EventFacilitator
from consult.languages import composing_for, is_language
from consult.links import external_url
from consult.notifications.services import queue_email
from consult.registration.models import Registration
from consult.registration.services.register import (
    RegistrationResult,
    check_registration,
    register,
    registration_open,
)
from consult.registration.services.validation import RegistrationData, email_taken
from consult.text import clean_text

# The channels a facilitator records through (the people they reached may
# answer by SMS: the facilitator types what the texts said).
FACILITATED_CHANNELS = ("in_person", "phone", "paper", "sms")
CHANNEL_LABELS = {
    "in_person": _l("In person"),
    "phone": _l("By phone"),
    "paper": _l("On paper"),
    "sms": _l("By SMS"),
}


def facilitates(user, event: Event) -> bool:
    """True when ``user`` is an active facilitator account of ``event``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active or not user.is_facilitator:
        return False
    return (
        db.session.scalar(
            select(EventFacilitator.id).where(
                EventFacilitator.event_id == event.id,
                EventFacilitator.user_id == user.id,
            )
        )
        is not None
    )


def require_facilitator(actor, event: Event) -> None:
    if not facilitates(actor, event):
        raise PermissionDenied(_("You are not a facilitator of this event."))


def event_facilitators(event: Event) -> list[EventFacilitator]:
    """The event's facilitators, in the order they were invited."""
    return list(
        db.session.scalars(
            select(EventFacilitator)
            .where(EventFacilitator.event_id == event.id)
            .order_by(EventFacilitator.added_at, EventFacilitator.id)
        )
    )


def facilitated_events(user) -> list[Event]:
    """The events ``user`` facilitates, soonest first."""
    return list(
        db.session.scalars(
            select(Event)
            .join(EventFacilitator, EventFacilitator.event_id == Event.id)
            .where(EventFacilitator.user_id == user.id)
            .order_by(Event.start_at, Event.id)
        )
    )


@dataclass(frozen=True)
class Invitation:
    link: EventFacilitator
    created: bool  # a new account, mailed a link to choose its password


def _facilitator_account(
    address: str, name: str, language: str | None, *, now: datetime
) -> tuple[User, bool]:
    """The facilitator account for the address: reused, or created without a
    password (the invitation's link sets it)."""
    user = find_user_by_email(address)
    if user is not None:
        if not user.is_facilitator:
            raise ValidationFailed(
                _(
                    "%(email)s has an account of another kind. A facilitator "
                    "needs an address of their own for this role.",
                    email=address,
                ),
                field="email",
            )
        if not user.active:
            raise ValidationFailed(
                _("The account of %(email)s is switched off.", email=address),
                field="email",
            )
        return user, False
    if language is not None and not is_language(language):
        raise ValidationFailed(_("Choose a language from the list."), "language")
    user = User(
        email=address,
        name=clean_text(name, "name", max_length=200, required=True),
        role="facilitator",
        password_hash=None,
        active=True,
        created_at=now,
        language=language,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("An account with this email address already exists."), field="email"
        ) from exc
    return user, True


def invite_facilitator(
    event: Event,
    actor,
    email: str,
    name: str,
    *,
    language: str | None = None,
    now: datetime,
) -> Invitation:
    """Make an account (new or a facilitator's) a facilitator of the event and
    email it: a new account gets a link to choose its password."""
    require_manager(actor, event)
    address = normalise_email(email)
    user, created = _facilitator_account(address, name, language, now=now)
    if any(f.user_id == user.id for f in event_facilitators(event)):
        raise ValidationFailed(
            _("%(email)s is already a facilitator of this event.", email=address),
            field="email",
        )
    link = EventFacilitator(
        event_id=event.id, user=user, added_at=now, added_by_id=actor.id
    )
    db.session.add(link)
    db.session.flush()
    with composing_for(user) as locale:
        queue_email(
            template="facilitator_invitation",
            to=user.email,
            to_name=user.name,
            subject=_(
                "You are a facilitator of %(title)s", title=text_in(event, "title")
            ),
            context={
                "user": user,
                "event": event,
                "inviter": actor,
                "password_url": invitation_link(user, now=now) if created else "",
                "valid_days": max(
                    1, current_app.config["ACCOUNT_INVITATION_MAX_AGE"] // 86400
                ),
                "pages_url": external_url("facilitators.people", slug=event.slug),
            },
            dedup_key=f"facilitator-invitation:{link.id}",
            now=now,
            event=event,
            language=locale,
        )
    return Invitation(link, created)


def remove_facilitator(event: Event, actor, user_id: int, *, now: datetime) -> None:
    """End a facilitator's access to the event; the people they registered
    and what they recorded stay (and keep naming them)."""
    require_manager(actor, event)
    link = next((f for f in event_facilitators(event) if f.user_id == user_id), None)
    if link is None:
        raise NotFound(_("That person is not a facilitator of this event."))
    db.session.delete(link)
    event.updated_at = now
    db.session.flush()


def check_channel(channel: str | None) -> str:
    if channel not in FACILITATED_CHANNELS:
        raise ValidationFailed(_("Choose how you reached the person."), "channel")
    return channel


def check_person(event: Event, data: RegistrationData, channel: str | None) -> None:
    """Every problem with a facilitator's registration of a person, raised
    together: the channel, the person's details, an email registered
    already. Nothing is written."""
    problems = Problems()
    problems.take(check_channel, channel)
    data.role = "attendee"
    problems.take(check_registration, event, data, assisted=True, contact_optional=True)
    if not problems.has("email"):
        problems.take(_refuse_registered_email, event, data.email)
    problems.raise_any()


def _refuse_registered_email(event: Event, email: str | None) -> None:
    """Another registration of the event has this address: the facilitator
    learns nothing of it (the organisers can help)."""
    if not (email or "").strip():
        return
    address = normalise_email(email)
    taken = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event.id, Registration.email == address
        )
    )
    if taken is not None:
        raise email_taken()


def register_person(
    event: Event, facilitator, data: RegistrationData, channel: str, *, now: datetime
) -> RegistrationResult:
    """Register a person on the facilitator's record, with the channel and
    time; the seat rules are those of any assisted registration."""
    require_facilitator(facilitator, event)
    if registration_open(event, now):
        check_person(event, data, channel)  # every problem at once
    data.role = "attendee"
    return register(
        event, data, now=now, assisted_by=facilitator, channel=check_channel(channel)
    )


def facilitated_people(event: Event, facilitator) -> list[Registration]:
    """The people this facilitator registered for the event, newest first."""
    require_facilitator(facilitator, event)
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.facilitated_by_id == facilitator.id,
                Registration.erased_at.is_(None),
            )
            .order_by(Registration.created_at.desc(), Registration.id.desc())
        )
    )


def facilitated_person(event: Event, facilitator, registration_id) -> Registration:
    """One of the facilitator's people; NotFound for anyone else's."""
    require_facilitator(facilitator, event)
    registration = (
        db.session.get(Registration, registration_id)
        if isinstance(registration_id, int)
        else None
    )
    if (
        registration is None
        or registration.event_id != event.id
        or registration.facilitated_by_id != facilitator.id
        or registration.erased_at is not None
    ):
        raise NotFound(_("That person is not one of the people you registered."))
    return registration


def record_priorities(
    event: Event,
    facilitator,
    registration_id: int,
    values: dict[int, int],
    channel: str,
    *,
    now: datetime,
) -> Registration:
    """Save a person's priorities as they gave them to the facilitator: the
    participant page's rules, with who recorded them, how and when."""
    registration = facilitated_person(event, facilitator, registration_id)
    save_priorities(
        registration,
        values,
        now=now,
        facilitated_by=facilitator,
        channel=check_channel(channel),
    )
    return registration
