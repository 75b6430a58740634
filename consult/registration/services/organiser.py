"""What organisers do to registrations: decide, move, cancel, check in
(in bulk: ``decisions.py``; cancelling with an undo: ``cancellations.py``).

Every service takes the acting user and ``now``, checks the actor manages the
event, loads registrations only through their event (an id from another event
is NotFound), changes seats only through the seat API, flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from consult.errors import Conflict, DomainError, NotFound, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.facts import announce, registration_kinds
from consult.registration.models import Registration, StakeholderType
from consult.registration.services.decision_plans import (
    DECISIONS,
    check_unchanged,
    decision_plan,
)
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.lifecycle import (
    approve,
    cancel_registration,
    reject,
)
from consult.registration.services.seats import (
    add_to_waitlist,
    lock_event,
    promote_from_waitlist,
    release_seat,
    take_seat,
    type_has_room,
)
from consult.text import clean_text


@dataclass
class BulkOutcome:
    """What a bulk decision did: who was changed and who was left, and why."""

    done: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)


def registration_of(event: Event, registration_id: int) -> Registration:
    """One registration of this event; NotFound for an id of another event."""
    found = db.session.get(Registration, registration_id)
    if found is None or found.event_id != event.id:
        raise NotFound(_("No such registration for this event."))
    return found


def registrations_of(event: Event, ids: Iterable[int]) -> list[Registration]:
    """The registrations with these ids, all of this event, or NotFound."""
    wanted = sorted(set(ids))
    found = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.id.in_(wanted), Registration.event_id == event.id)
            .order_by(Registration.created_at, Registration.id)
        )
    )
    if len(found) != len(wanted):
        raise NotFound(_("No such registration for this event."))
    return found


def approve_registrations(
    event: Event, ids: Iterable[int], actor, *, now: datetime
) -> BulkOutcome:
    """Approve pending registrations; others are skipped with the reason."""
    require_manager(actor, event)
    return _each(
        registrations_of(event, ids),
        lambda reg: approve(reg, actor, now=now),
        "approve",
    )


def reject_registrations(
    event: Event, ids: Iterable[int], actor, reason: str, *, now: datetime
) -> BulkOutcome:
    """Reject pending or waitlisted registrations, telling each person the reason."""
    require_manager(actor, event)
    reason = clean_text(reason, "reason", max_length=1000, required=True)
    return _each(
        registrations_of(event, ids),
        lambda reg: reject(reg, actor, reason, now=now),
        "reject",
    )


def check_in_registrations(
    event: Event, ids: Iterable[int], actor, *, now: datetime
) -> BulkOutcome:
    """Check in the confirmed among these registrations. Idempotent: people
    already checked in keep their first check-in time and are reported as
    such; others are skipped with the reason."""
    require_manager(actor, event)
    registrations = registrations_of(event, ids)
    present = [r for r in registrations if r.checked_in_at is not None]
    outcome = _each(
        [r for r in registrations if r.checked_in_at is None],
        lambda registration: _mark_present(registration, now),
        "check_in",
    )
    outcome.skipped += [(r, _("already checked in")) for r in present]
    return outcome


def _each(registrations, change, decision: str) -> BulkOutcome:
    allowed, refusal = DECISIONS[decision]
    outcome = BulkOutcome()
    for registration in registrations:
        if registration.status not in allowed:
            outcome.skipped.append((registration, refusal()))
            continue
        try:
            # A savepoint per person: one refusal (a full event) must not
            # undo the others or leave half a change behind.
            with db.session.begin_nested():
                change(registration)
        except DomainError as exc:
            outcome.skipped.append((registration, exc.message))
        else:
            outcome.done.append(registration)
    return outcome


def cancel_for_registrant(
    event: Event, registration_id: int, actor, *, now: datetime
) -> Registration:
    """Cancel on the person's behalf; the freed seat goes to the waiting list."""
    require_manager(actor, event)
    registration = registration_of(event, registration_id)
    if registration.status in ("cancelled", "rejected"):
        raise Conflict(_("This registration is already closed."))
    cancel_registration(registration, now=now, by=actor)
    return registration


def confirm_from_waitlist(
    event: Event,
    registration_id: int,
    actor,
    *,
    now: datetime,
    override_cap: bool = False,
) -> Registration:
    """Give a waitlisted person a seat; past a type's cap only with override_cap.

    The event's capacity is never exceeded: raise the capacity first.
    """
    require_manager(actor, event)
    locked = lock_event(event.id)
    # Re-read under the lock: a concurrent action may have moved this person.
    registration = _fresh(registration_of(event, registration_id))
    if registration.status != "waitlisted":
        raise Conflict(_("Only people on the waiting list can be moved to confirmed."))
    if locked.capacity is not None and locked.confirmed_count >= locked.capacity:
        raise Conflict(
            ngettext(
                "The only seat is taken. Raise the event's capacity, or move "
                "someone to the waiting list first.",
                "All %(num)d seats are taken. Raise the event's capacity, or move "
                "someone to the waiting list first.",
                locked.capacity,
            )
        )
    try:
        take_seat(registration, now=now, override_cap=override_cap)
    except Conflict as exc:
        raise Conflict(
            exc.message + " " + _("Tick “exceed the cap” to confirm anyway.")
        ) from exc
    registration.decided_by_id = actor.id
    queue_registration_email(
        registration, "promoted", now=now, dedup_suffix=_stamp(now)
    )
    announce(event, registration_kinds("promoted"), registration, now=now)
    return registration


def move_to_waitlist(
    event: Event,
    registration_id: int,
    actor,
    *,
    now: datetime,
    expected: str | None = None,
) -> Registration:
    """Move a confirmed person to the end of the waiting list and tell them;
    ``expected``: the fingerprint of the plan the organiser confirmed
    (``decision_plan(..., "waitlist")``)."""
    require_manager(actor, event)
    lock_event(event.id)
    registration = _fresh(registration_of(event, registration_id))
    if registration.status != "confirmed":
        raise Conflict(_("Only confirmed people can be moved to the waiting list."))
    check_unchanged(decision_plan(event, [registration], actor, "waitlist"), expected)
    # No automatic promotion here: the organiser frees the seat to give it to
    # someone of their choosing, not to whoever waited longest.
    release_seat(registration)
    add_to_waitlist(registration)
    registration.decided_by_id = actor.id
    registration.updated_at = now
    queue_registration_email(
        registration, "waitlisted", now=now, dedup_suffix=_stamp(now)
    )
    announce(event, registration_kinds("waitlisted"), registration, now=now)
    db.session.flush()
    return registration


def change_stakeholder_type(
    event: Event,
    registration_id: int,
    actor,
    type_id: int,
    *,
    now: datetime,
    override_cap: bool = False,
) -> Registration:
    """Move a registrant to another stakeholder group (the organiser's correction).

    Every figure counts a person in their current group
    (consult.registration.counting), so their answers, ballot and attendance
    move with them. A confirmed person keeps their seat, within the new
    group's cap unless ``override_cap``; a place the old group's cap held back
    goes to the waiting list, in order.
    """
    require_manager(actor, event)
    locked = lock_event(event.id)
    registration = _fresh(registration_of(event, registration_id))
    if registration.status not in ("pending", "waitlisted", "confirmed"):
        raise Conflict(_("This registration is closed: its group cannot change."))
    new_type = db.session.get(StakeholderType, type_id)
    if new_type is None or new_type.event_id != event.id:
        raise ValidationFailed(
            _("Choose one of this event's stakeholder groups."), "type_id"
        )
    if new_type.id == registration.stakeholder_type_id:
        raise Conflict(
            _(
                "%(name)s is already in %(group)s.",
                name=registration.full_name,
                group=new_type.label,
            )
        )
    if (
        registration.status == "confirmed"
        and not override_cap
        and not type_has_room(locked, new_type)
    ):
        raise Conflict(
            _("The seats for %(type)s are all taken.", type=new_type.label)
            + " "
            + _("Tick “exceed the cap” to move them anyway.")
        )
    registration.stakeholder_type = new_type
    registration.updated_at = now
    db.session.flush()
    promote_from_waitlist(locked, now=now)
    return registration


def set_checked_in(
    event: Event, registration_id: int, actor, checked_in: bool, *, now: datetime
) -> Registration:
    """Mark a confirmed person as present (or undo it), which sets attendance."""
    require_manager(actor, event)
    registration = registration_of(event, registration_id)
    if checked_in:
        if registration.status != "confirmed":
            raise Conflict(_("Only confirmed people can be checked in."))
        _mark_present(registration, now)
    else:
        registration.checked_in_at = None
        # An imported attendance report still counts without the check-in.
        minutes = registration.attended_minutes
        registration.attended = (
            minutes is not None and minutes >= event.attendance_threshold_minutes
        )
    registration.updated_at = now
    db.session.flush()
    return registration


def _mark_present(registration: Registration, now: datetime) -> None:
    """Check a confirmed person in (the first time counts) and mark attendance."""
    registration.checked_in_at = registration.checked_in_at or now
    registration.attended = True
    registration.updated_at = now
    db.session.flush()


def _stamp(now: datetime) -> str:
    # Organisers may move the same person more than once; each move is news.
    return "manual-" + now.strftime("%Y%m%dT%H%M%S")


def _fresh(registration: Registration) -> Registration:
    db.session.refresh(registration)
    return registration
