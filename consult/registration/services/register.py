"""Registering for an event: one registration per email, seats under the event lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.errors import Conflict, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import (
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.seats import (
    add_to_waitlist,
    lock_event,
    promote_from_waitlist,
    seat_available,
    take_seat,
)
from consult.registration.services.validation import (
    RegistrationData,
    check_role,
    chosen_type,
    clean_answers,
    clean_contact,
    clean_details,
)
from consult.signing import new_nonce

# A repeated registration re-sends the manage link at most once per this many
# seconds, so the form cannot be used to flood someone's inbox.
LINK_RESEND_SECONDS = 600


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool  # False: the email was already registered (link re-sent)
    # The waiting-list place counted under the event lock when the person was
    # put on the list (the same number their email gives); None otherwise.
    place: int | None = None

    @property
    def status(self) -> str:
        return self.registration.status

    @property
    def waitlist_place(self) -> int | None:
        if self.place is not None:
            return self.place
        return self.registration.waitlist_place


def registration_open(event: Event, now: datetime) -> bool:
    """True while the event is published and inside its registration window."""
    if not event.is_published:
        return False
    if not event.dates_in_range:
        return False  # stored before dates were bounded: corrected first
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    closes = event.registration_closes_at or event.end_at
    return now < closes


def register(
    event: Event,
    data: RegistrationData,
    *,
    now: datetime,
    assisted_by=None,
    types: list[StakeholderType] | None = None,
    questions: list[RegistrationQuestion] | None = None,
) -> RegistrationResult:
    """Register a person, or re-send their link when the email is already registered.

    ``types`` and ``questions``: the event's stakeholder types and questions
    when the caller has loaded them already (the form did), to save queries.
    """
    if not registration_open(event, now):
        raise Conflict(_("Registration for this event is not open."))
    values = _checked_values(
        event,
        data,
        assisted=assisted_by is not None,
        now=now,
        types=types,
        questions=questions,
    )
    email = values["email"]
    if email and (existing := _by_email(event, email)) is not None:
        return _already_registered(existing, values, now=now)
    # The row goes in before the event lock is taken, so the lock is held only
    # for the seat decision and the email. The unique (event_id, email)
    # constraint decides between two registrations with the same email: on
    # PostgreSQL the second INSERT waits for the first to commit, then fails.
    registration = Registration(
        event_id=event.id,
        status="pending",
        manage_nonce=new_nonce(),
        assisted=assisted_by is not None,
        assisted_by_id=getattr(assisted_by, "id", None),
        created_at=now,
        updated_at=now,
        **values,
    )
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # A concurrent registration with this email committed first.
        existing = _by_email(event, email) if email else None
        if existing is None:
            raise
        return _already_registered(existing, values, now=now)
    lock_event(event.id)
    waiting_place = place(registration, now=now)
    return RegistrationResult(registration, created=True, place=waiting_place)


def place(
    registration: Registration, *, now: datetime, dedup_suffix: str = ""
) -> int | None:
    """Give a new (or re-activated) registration its status and tell the person.

    Returns the waiting-list place when the person was put on the list.
    """
    event = registration.event
    if registration.role == "expert" or event.requires_approval:
        registration.status = "pending"
        kind = "pending"
    elif _seat_after_those_waiting(event, registration, now=now):
        take_seat(registration, now=now)
        kind = "confirmed"
    elif event.waitlist_enabled:
        add_to_waitlist(registration)
        kind = "waitlisted"
    else:
        raise Conflict(_("This event is full."))
    db.session.flush()
    waiting_place = registration.waitlist_place if kind == "waitlisted" else None
    queue_registration_email(
        registration,
        kind,
        now=now,
        dedup_suffix=dedup_suffix,
        extra={"waitlist_place": waiting_place} if waiting_place else None,
    )
    return waiting_place


def _seat_after_those_waiting(event: Event, registration: Registration, *, now) -> bool:
    """Whether a seat is left once the people already waiting have had theirs.

    Seats can be free while people wait (capacity raised, an organiser moved
    someone): the waiting list is served first, so nobody new jumps the queue.
    """
    promote_from_waitlist(event, now=now)
    return seat_available(event, registration.stakeholder_type)


def _checked_values(
    event: Event,
    data: RegistrationData,
    *,
    assisted: bool,
    now: datetime,
    types: list[StakeholderType] | None,
    questions: list[RegistrationQuestion] | None,
) -> dict:
    email, phone = clean_contact(data, assisted=assisted)
    stakeholder_type = chosen_type(event, data.type_key, types)
    if not data.consent_privacy:
        raise ValidationFailed(
            _("Please accept the privacy notice to register."), "consent_privacy"
        )
    return {
        **clean_details(data),
        "email": email,
        "phone": phone,
        # The object, not only its id: the seat checks and the email read it.
        "stakeholder_type": stakeholder_type,
        "role": check_role(data.role),
        "answers": clean_answers(event, stakeholder_type.key, data.answers, questions),
        "privacy_notice_version": event.privacy_notice_version,
        "privacy_consented_at": now,
    }


def _by_email(event: Event, email: str) -> Registration | None:
    return db.session.scalar(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.email == email)
        .execution_options(populate_existing=True)
    )


def _already_registered(
    registration: Registration, values: dict, *, now: datetime
) -> RegistrationResult:
    if registration.status == "cancelled":
        return _reactivate(registration, values, now=now)
    bucket = int(now.timestamp()) // LINK_RESEND_SECONDS
    queue_registration_email(
        registration, "link_resent", now=now, dedup_suffix=str(bucket)
    )
    return RegistrationResult(registration, created=False)


def _reactivate(
    registration: Registration, values: dict, *, now: datetime
) -> RegistrationResult:
    # Someone who cancelled may register again: the one row per email is
    # reused, with the new answers, and placed like a new registration.
    lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != "cancelled":
        return _already_registered(registration, values, now=now)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.cancelled_at = None
    registration.confirmed_at = None
    registration.created_at = now
    registration.updated_at = now
    # A new round of emails: the first round's dedup keys are taken.
    waiting_place = place(
        registration, now=now, dedup_suffix=f"again{int(now.timestamp())}"
    )
    return RegistrationResult(registration, created=True, place=waiting_place)
