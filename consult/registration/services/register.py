"""Registering for an event: one registration per email, seats under the event lock."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, select, text
from sqlalchemy.exc import IntegrityError

from consult.errors import Conflict, Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.facts import announce, registration_fact, registration_kinds
from consult.registration.models import (
    PHONE_ONLY,
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services.emails import (
    queue_registration_email,
)
from consult.registration.services.form_data import StaleFormData, attached
from consult.registration.services.register_fast import register_fast
from consult.registration.services.result import RegistrationResult
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
    email_taken,
)
from consult.signing import new_nonce

# A repeated registration re-sends the manage link at most once per this many
# seconds, so the form cannot be used to flood someone's inbox.
LINK_RESEND_SECONDS = 600


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
    channel: str | None = None,
    types: list[StakeholderType] | None = None,
    questions: list[RegistrationQuestion] | None = None,
    kept_copies: bool = False,
) -> RegistrationResult:
    """Register a person, or re-send their link when the email is already registered.

    ``channel``: a facilitator's registration (``assisted_by`` is the
    facilitator): the person may have neither email nor phone, and an email
    registered already is refused rather than sent its link again, so the
    facilitator learns nothing of that registration.
    ``types`` and ``questions``: the event's stakeholder types and questions
    when the caller has loaded them already (the form did), to save queries.
    ``kept_copies``: ``event``, ``types`` and ``questions`` are a process's
    copies read without asking whether they are current (form_data.py): only
    the fast path, which checks them under the event's lock, may use them, and
    any other outcome raises ``StaleFormData`` for the caller to start again.
    """
    if kept_copies:
        try:
            result = _register_kept(
                event, data, now=now, types=types, questions=questions
            )
        except (ValidationFailed, Conflict, IntegrityError) as exc:
            # Told on the current event, not on copies: the event may be gone
            # (its id no longer a foreign key) or its rules changed.
            raise StaleFormData() from exc
        if result is None:
            raise StaleFormData()
        return result
    if not registration_open(event, now):
        raise Conflict(_("Registration for this event is not open."))
    facilitated = channel is not None and assisted_by is not None
    values = _checked_values(
        event,
        data,
        assisted=assisted_by is not None,
        contact_optional=facilitated,
        now=now,
        types=types,
        questions=questions,
    )
    email = values["email"]
    if assisted_by is None and email:
        # The public form's common case, in a few Core statements.
        result = _registered_fast(event, values, now=now)
        if result is not None:
            return result
    # The general path builds ORM rows: the session's own objects, never the
    # per-process copies the form may have used (form_data.py).
    values["stakeholder_type"] = attached(values["stakeholder_type"])
    if (existing := _by_contact(event, values, assisted_by)) is not None:
        if facilitated:
            raise email_taken()
        return _already_registered(existing, values, now=now)
    # The event's lock first, then the row, as on every path that adds a
    # registration (register_fast.py): two requests for one email never wait
    # for each other in opposite orders. The unique (event_id, email)
    # constraint still decides between two registrations with the same email
    # (one committed before this transaction had the lock).
    lock_event(event.id)
    registration = Registration(
        event_id=event.id,
        status="pending",
        manage_nonce=new_nonce(),
        assisted=assisted_by is not None,
        assisted_by_id=getattr(assisted_by, "id", None),
        facilitated_by_id=assisted_by.id if facilitated else None,
        channel=channel if facilitated else None,
        created_at=now,
        updated_at=now,
        **values,
    )
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # A concurrent registration with this email (or, without an email,
        # this phone number) committed first.
        existing = _by_contact(event, values, assisted_by)
        if existing is None:
            raise
        if facilitated:
            raise email_taken() from None
        return _already_registered(existing, values, now=now)
    waiting_place = place(registration, now=now)
    return RegistrationResult(registration, created=True, place=waiting_place)


def _register_kept(event, data, *, now, types, questions):
    """The public form's fast path on kept copies; None when it cannot decide."""
    if not registration_open(event, now):
        return None
    values = _checked_values(
        event, data, assisted=False, now=now, types=types, questions=questions
    )
    return _registered_fast(event, values, now=now) if values["email"] else None


def _registered_fast(event, values: dict, *, now: datetime):
    """The fast path (``register_fast``), and the facts of the registration it made."""
    result = register_fast(event, values, now=now)
    if result is not None:
        status, type_id = result.status, values["stakeholder_type"].id
        fact = registration_fact(result.registration_id, status, type_id, now)
        kinds = registration_kinds(status, created=True)
        announce(event, kinds, fact, now=now, heard=result.heard)
    return result


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
    announce(event, registration_kinds(kind, created=True), registration, now=now)
    return waiting_place


def _seat_after_those_waiting(event: Event, registration: Registration, *, now) -> bool:
    """Whether a seat is left once the people already waiting have had theirs.

    Seats can be free while people wait (capacity raised, an organiser moved
    someone): the waiting list is served first, so nobody new jumps the queue.
    """
    promote_from_waitlist(event, now=now)
    return seat_available(event, registration.stakeholder_type)


def check_registration(
    event: Event,
    data: RegistrationData,
    *,
    types: list[StakeholderType] | None = None,
    questions: list[RegistrationQuestion] | None = None,
    assisted: bool = False,
    contact_optional: bool = False,
) -> None:
    """Every problem with a registration's input (public, or ``assisted`` by
    an organiser or facilitator), raised together; nothing is written (the
    form's page, when its own checks failed)."""
    _checked_values(
        event,
        data,
        assisted=assisted,
        contact_optional=contact_optional,
        now=None,
        types=types,
        questions=questions,
    )


def _checked_values(
    event: Event,
    data: RegistrationData,
    *,
    assisted: bool,
    now: datetime | None,
    types: list[StakeholderType] | None,
    questions: list[RegistrationQuestion] | None,
    contact_optional: bool = False,
) -> dict:
    """The registration's column values, or ValidationFailed with every problem."""
    problems = Problems()
    email, phone = problems.take(
        clean_contact, data, assisted=assisted, contact_optional=contact_optional
    ) or (None, "")
    details = problems.take(clean_details, data)
    stakeholder_type = problems.take(chosen_type, event, data.type_key, types)
    role = problems.take(check_role, data.role)
    answers = {}
    if stakeholder_type is not None:
        answers = problems.take(
            clean_answers, event, stakeholder_type.key, data.answers, questions
        )
    if not data.consent_privacy:
        problems.add(
            _("Please accept the privacy notice to register."), "consent_privacy"
        )
    seen = data.notice_version_seen or ""
    if seen and seen != event.privacy_notice_version:
        problems.add(
            _(
                "The privacy notice changed while you filled in the form (it is "
                "now version %(v)s): please read it and tick the box again.",
                v=event.privacy_notice_version,
            ),
            "consent_privacy",
        )
    problems.raise_any()
    return {
        **details,
        "email": email,
        "phone": phone,
        # The object, not only its id: the seat checks and the email read it.
        "stakeholder_type": stakeholder_type,
        "role": role,
        "answers": answers,
        "privacy_notice_version": event.privacy_notice_version,
        "privacy_consented_at": now,
        "sms_consented_at": now if data.consent_sms and phone else None,
    }


def _by_contact(event: Event, values: dict, assisted_by) -> Registration | None:
    """The registration that stands for this person already: the one with
    their email, or (a public registration without email) their number."""
    if values["email"]:
        match = Registration.email == values["email"]
    elif assisted_by is None and values["phone"]:
        match = and_(text(PHONE_ONLY), Registration.phone == values["phone"])
    else:
        return None
    return db.session.scalar(
        select(Registration)
        .where(Registration.event_id == event.id, match)
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
