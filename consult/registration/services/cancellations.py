"""An organiser's cancellations, undoable for CANCEL_UNDO_SECONDS.

Cancelling frees the seat at once (the waiting list is promoted as always),
but every email it causes (the cancellation, and the promotion of whoever
got the seat) waits in the outbox until the window closes. Undoing within
the window withdraws those emails (withdrawn with the reason, never
deleted), gives the seat back to whoever it went to by this cancellation
(they return to their old place on the waiting list, never having heard of
it), restores the person's previous status and queues again what the
cancellation had withdrawn from them (reminders and the like). When the
seat went to someone else meanwhile (a new registration), the person goes
to the waiting list and is told so; without a waiting list the cancellation
stands and the organiser is told why. Each undo row remembers what its
cancellation changed (``CancellationUndo``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import Conflict, DomainError, NotFound
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.withdrawals import (
    hold_queued_for_registrations,
    queued_ids_for_registration,
    recorded_reason,
    requeue_withdrawn_ids,
    statuses_of,
    withdraw_queued_ids,
)
from consult.registration.models import CancellationUndo, Registration
from consult.registration.services.decision_plans import (
    DecisionPlan,
    check_unchanged,
    decision_plan,
)
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.lifecycle import cancel_registration
from consult.registration.services.organiser import BulkOutcome, registrations_of
from consult.registration.services.seats import (
    add_to_waitlist,
    lock_event,
    promote_from_waitlist,
    release_seat,
    seat_available,
    take_seat,
)

# The messages a cancellation causes, held back for the undo window.
HELD_TEMPLATES = (
    "registration_cancelled",
    "sms_registration_cancelled",
    "registration_promoted",
    "sms_registration_promoted",
)


@dataclass
class CancelOutcome(BulkOutcome):
    """Who was cancelled, and the batch that undoes them until ``until``."""

    batch: str = ""
    until: datetime | None = None
    plan: DecisionPlan | None = None


@dataclass
class UndoOutcome:
    """What an undo did for each person: their status back, the waiting
    list instead (the seat was taken), or nothing (with the reason)."""

    restored: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PendingUndo:
    """A cancellation its author may still undo: shown above the list."""

    batch: str
    names: list[str]
    until: datetime


def cancel_with_undo(
    event: Event,
    ids: Iterable[int],
    actor,
    *,
    now: datetime,
    expected: str | None = None,
) -> CancelOutcome:
    """Cancel these registrations of ``event`` on the people's behalf, undoable
    until the window closes; ``expected``: the fingerprint of the plan shown."""
    require_manager(actor, event)
    lock_event(event.id)
    registrations = registrations_of(event, ids)
    for registration in registrations:
        db.session.refresh(registration)  # under the lock: the current status
    plan = decision_plan(event, registrations, actor, "cancel")
    check_unchanged(plan, expected)
    until = now + timedelta(seconds=plan.undo_seconds)
    outcome = CancelOutcome(
        skipped=list(plan.skipped),
        batch=secrets.token_hex(16),
        until=until,
        plan=plan,
    )
    for registration in plan.acting_on:
        _cancel_one(registration, actor, outcome, now=now)
        outcome.done.append(registration)
    return outcome


def _cancel_one(registration: Registration, actor, outcome: CancelOutcome, *, now):
    record = CancellationUndo(
        event_id=registration.event_id,
        registration_id=registration.id,
        batch=outcome.batch,
        previous_status=registration.status,
        previous_position=registration.waitlist_position,
        previous_confirmed_at=registration.confirmed_at,
        cancelled_by_id=actor.id,
        cancelled_at=now,
        undo_until=outcome.until,
    )
    places = dict(
        db.session.execute(
            select(Registration.id, Registration.waitlist_position).where(
                Registration.event_id == registration.event_id,
                Registration.status == "waitlisted",
            )
        ).all()
    )
    record.withdrawn = queued_ids_for_registration(registration.id)
    promoted = cancel_registration(registration, now=now, by=actor)
    record.held = hold_queued_for_registrations(
        [registration.id], HELD_TEMPLATES, until=outcome.until
    )
    record.promoted = [
        [
            person.id,
            places[person.id],
            hold_queued_for_registrations(
                [person.id], HELD_TEMPLATES, until=outcome.until
            ),
        ]
        for person in promoted
    ]
    db.session.add(record)
    db.session.flush()


def pending_undo(event: Event, actor, *, now: datetime) -> PendingUndo | None:
    """The actor's latest cancellation on this event still in its window."""
    latest = db.session.scalar(
        select(CancellationUndo)
        .where(
            CancellationUndo.event_id == event.id,
            CancellationUndo.cancelled_by_id == actor.id,
            CancellationUndo.undone_at.is_(None),
            CancellationUndo.undo_until > now,
        )
        .order_by(CancellationUndo.id.desc())
        .limit(1)
    )
    if latest is None:
        return None
    records = _batch(event, latest.batch)
    return PendingUndo(
        batch=latest.batch,
        names=[r.registration.full_name for r in reversed(records)],
        until=latest.undo_until,
    )


def _batch(event: Event, batch: str, *, undone=False) -> list[CancellationUndo]:
    """A batch's rows not undone yet (``undone``: all), last cancelled first
    (undone in that order)."""
    query = select(CancellationUndo).where(
        CancellationUndo.event_id == event.id, CancellationUndo.batch == batch
    )
    if not undone:
        query = query.where(CancellationUndo.undone_at.is_(None))
    return list(db.session.scalars(query.order_by(CancellationUndo.id.desc())))


def undo_cancellations(
    event: Event, batch: str, actor, *, now: datetime
) -> UndoOutcome:
    """Undo one cancellation action of ``event`` within its window."""
    require_manager(actor, event)
    locked = lock_event(event.id)
    records = _batch(event, str(batch or "")[:32], undone=True)
    if not records:
        raise NotFound(_("There is no cancellation to undo."))
    records = [record for record in records if record.undone_at is None]
    if not records:
        raise Conflict(_("This cancellation is already undone."))
    if now >= records[0].undo_until:
        raise Conflict(
            _(
                "Too late to undo: the cancellation stands and its emails are "
                "on their way. Register the person again if needed."
            )
        )
    outcome = UndoOutcome()
    for record in records:
        try:
            with db.session.begin_nested():
                back_on_list = _undo_one(locked, record, now=now)
        except DomainError as exc:
            outcome.skipped.append((record.registration, exc.message))
            continue
        bucket = outcome.waitlisted if back_on_list else outcome.restored
        bucket.append(record.registration)
    # A seat nobody took back (its person could not return) goes on as usual.
    promote_from_waitlist(locked, now=now)
    return outcome


def _undo_one(event: Event, record: CancellationUndo, *, now: datetime) -> bool:
    """Undo one person's cancellation; True when they went to the waiting
    list because their seat was taken meanwhile."""
    registration = record.registration
    db.session.refresh(registration)
    if (
        registration.status != "cancelled"
        or registration.cancelled_at != record.cancelled_at
        or registration.erased_at is not None
    ):
        raise Conflict(_("changed since the cancellation; nothing was undone"))
    if any(status != "queued" for status in statuses_of(record.held).values()):
        raise Conflict(_("the cancellation email has already left"))
    reason = recorded_reason(
        lambda: _("The organiser undid the cancellation before this message left.")
    )
    withdraw_queued_ids(record.held, reason=reason)
    for person_id, place, held in record.promoted:
        _give_seat_back(person_id, place, held, record, reason=reason, now=now)
    waitlisted = _restore(event, registration, record, now=now)
    requeue_withdrawn_ids(record.withdrawn, now=now)
    record.undone_at = now
    db.session.flush()
    return waitlisted


def _give_seat_back(person_id, place, held, record, *, reason, now) -> None:
    """The person this cancellation's seat went to returns to their place on
    the waiting list, unless they heard of the seat or moved since."""
    person = db.session.get(Registration, person_id)
    if person is None:
        return
    db.session.refresh(person)
    if person.status != "confirmed" or person.confirmed_at != record.cancelled_at:
        return
    if any(status != "queued" for status in statuses_of(held).values()):
        return
    release_seat(person)
    person.status = "waitlisted"
    person.waitlist_position = place
    person.confirmed_at = None
    person.updated_at = now
    db.session.flush()
    withdraw_queued_ids(held, reason=reason)


def _restore(event, registration: Registration, record, *, now) -> bool:
    registration.cancelled_at = None
    registration.updated_at = now
    previous = record.previous_status
    if previous == "confirmed" and seat_available(event, registration.stakeholder_type):
        take_seat(registration, now=now)
        # Back in the seat they held: their confirmation time is unchanged.
        registration.confirmed_at = record.previous_confirmed_at or now
    elif previous == "confirmed":
        if not event.waitlist_enabled:
            raise Conflict(
                _(
                    "their seat was taken meanwhile and this event has no "
                    "waiting list: the cancellation stands"
                )
            )
        add_to_waitlist(registration)
        queue_registration_email(
            registration, "waitlisted", now=now, dedup_suffix="undo-" + record.batch
        )
        return True
    else:
        registration.status = previous
        registration.waitlist_position = record.previous_position
    db.session.flush()
    return False
