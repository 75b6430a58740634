"""Seats: the event's confirmed counter, per-type caps and the FIFO waiting list.

Every seat change happens after ``lock_event`` in the same transaction, so two
requests never both see the last seat as free. The event's CHECK constraint
(confirmed_count <= capacity) is the last line of defence behind the lock.
All functions flush, never commit.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, func, inspect, select
from sqlalchemy.engine import Row
from sqlalchemy.orm.attributes import set_committed_value

from consult.database import is_postgresql
from consult.errors import Conflict
from consult.events.models import Event
from consult.extensions import db
from consult.facts import announce, registration_kinds
from consult.notifications.queued_rows import insert_row_after, insert_row_once
from consult.platforms.hooks import seat_released, seat_taken
from consult.registration.models import (
    DEFAULT_STAKEHOLDER_TYPES,
    Registration,
    StakeholderType,
)
from consult.registration.services.emails import queue_registration_email


def ensure_stakeholder_types(event: Event) -> list[StakeholderType]:
    """The event's stakeholder types, creating the five defaults when it has none."""
    existing = stakeholder_types(event)
    if existing:
        return existing
    created = [
        StakeholderType(
            event_id=event.id,
            key=key,
            label=label,
            description=description,
            target_share=share,
            position=position,
        )
        for position, (key, label, description, share) in enumerate(
            DEFAULT_STAKEHOLDER_TYPES
        )
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


def stakeholder_types(event: Event) -> list[StakeholderType]:
    """The event's stakeholder types in display order."""
    return list(
        db.session.scalars(
            select(StakeholderType)
            .where(StakeholderType.event_id == event.id)
            .order_by(StakeholderType.position, StakeholderType.id)
        )
    )


def lock_event(event_id: int, *, key_update: bool = False) -> Event:
    """Load the event for a seat change, serialising seat changes per event.

    PostgreSQL: a row lock (SELECT ... FOR NO KEY UPDATE) held until commit; a
    second transaction waits here and then reads the fresh counter. NO KEY:
    rows that merely reference the event (an outbox message, a survey answer)
    can still be inserted meanwhile; their foreign-key check takes a KEY SHARE
    lock, which FOR UPDATE would block, and a writer that inserted such a row
    before asking for this lock would deadlock with one holding it. Paths
    that add a registration take this lock before they insert the row
    (register_fast.py, register_one.py).
    SQLite: write transactions begin with BEGIN IMMEDIATE (consult.database),
    so only one writer runs at a time and the row is simply re-read
    (populate_existing, so a counter cached in the session is not trusted).

    ``key_update``: the caller will change the event's key (its unique slug),
    which needs FOR UPDATE. It must be the transaction's first lock on the
    row: asked for later, it would wait for the KEY SHARE of a registration
    that is itself waiting for this transaction's lock (a deadlock).
    """
    query = (
        select(Event)
        .where(Event.id == event_id)
        .execution_options(populate_existing=True)
    )
    if is_postgresql(db.session):
        query = query.with_for_update(key_share=not key_update)
    event = db.session.scalar(query)
    if event is None:
        raise Conflict(_("This event no longer exists."))
    return event


_EVENTS = Event.__table__
_REGISTRATIONS = Registration.__table__


_SEATS_ROW = select(
    _EVENTS.c.confirmed_count,
    _EVENTS.c.capacity,
    _EVENTS.c.registration_version,
    _EVENTS.c.created_at,
    _EVENTS.c.waiting_count,
    _EVENTS.c.waitlist_tail,
).where(_EVENTS.c.id == bindparam("event_id"))
# Built once, by "is it PostgreSQL" (row lock) or not (SQLite's one writer).
_LOCK_ROW = {True: _SEATS_ROW.with_for_update(key_share=True), False: _SEATS_ROW}


def lock_event_row(event_id: int) -> Row:
    """``lock_event`` for the fast path: the seat counter, capacity and version.

    The same lock (FOR NO KEY UPDATE on PostgreSQL; SQLite's one writer).
    ``registration_version`` (with ``created_at``, as SQLite may give a new
    event a deleted one's id) tells the caller whether the event's settings
    it decided with (approval, waiting list, caps) are still the current ones;
    ``waiting_count`` and ``waitlist_tail`` are the waiting list's counters
    (registration/waiting_counters.py).
    """
    postgresql = is_postgresql(db.session)
    row = db.session.execute(_LOCK_ROW[postgresql], {"event_id": event_id}).first()
    if row is None:
        raise Conflict(_("This event no longer exists."))
    return row


def count_seat(event: Event, confirmed_count: int, registration_id: int, now) -> None:
    """Count one more confirmed seat and confirm the registration in it.

    After ``lock_event_row`` saw a seat free. Core statements: on PostgreSQL
    one (the counter's UPDATE in a data-modifying CTE), so the event's lock is
    held one round trip less; on SQLite two. An event object of this session
    is told the new count without becoming dirty, so a page shows it and no
    flush writes it again; a per-process copy (form_data.py), shared by
    requests, is left alone.
    """
    values = {"counted_event": event.id, "confirmed_one": registration_id, "at": now}
    if is_postgresql(db.session):
        db.session.execute(_COUNT_AND_CONFIRM, values)
    else:
        db.session.execute(_COUNT, values)
        db.session.execute(_CONFIRM, values)
    if inspect(event).persistent:
        set_committed_value(event, "confirmed_count", confirmed_count + 1)


_COUNT = (
    _EVENTS.update()
    .where(_EVENTS.c.id == bindparam("counted_event"))
    .values(confirmed_count=_EVENTS.c.confirmed_count + 1)
)
_CONFIRM = (
    _REGISTRATIONS.update()
    .where(_REGISTRATIONS.c.id == bindparam("confirmed_one"))
    .values(status="confirmed", confirmed_at=bindparam("at"))
)
_COUNTED = _COUNT.returning(_EVENTS.c.id).cte("counted")
_COUNT_AND_CONFIRM = _CONFIRM.where(exists(select(_COUNTED.c.id)))
_CONFIRMED = _COUNT_AND_CONFIRM.returning(_REGISTRATIONS.c.id).cte("confirmed")


def queue_at_end(seats: Row, registration_id: int) -> int:
    """Put a registration at the end of the waiting list; its place (1 = next).

    ``seats``: the event's row from ``lock_event_row``, read under the lock,
    so its counters are current: the next position follows the last one
    handed out and everyone waiting is ahead of the newcomer. One UPDATE; the
    triggers move the counters.
    """
    db.session.execute(
        _QUEUE,
        {"registration_id": registration_id, "next_position": seats.waitlist_tail + 1},
    )
    return seats.waiting_count + 1


_QUEUE = (
    _REGISTRATIONS.update()
    .where(_REGISTRATIONS.c.id == bindparam("registration_id"))
    .values(status="waitlisted", waitlist_position=bindparam("next_position"))
)
_QUEUED = _QUEUE.returning(_REGISTRATIONS.c.id).cte("queued")


def seat_and_tell(
    event: Event, confirmed_count: int, registration_id: int, now, message: dict
) -> None:
    """``count_seat`` and the person's email (an outbox row, ``message``).

    On PostgreSQL one statement: the counter, the confirmation and the
    outbox row in data-modifying CTEs, so the event's lock is held one round
    trip less again; on SQLite the statements one by one.
    """
    if not is_postgresql(db.session):
        count_seat(event, confirmed_count, registration_id, now)
        _queued(insert_row_once(message))
        return
    values = {"counted_event": event.id, "confirmed_one": registration_id, "at": now}
    _queued(insert_row_after(_CONFIRMED, values, message))
    if inspect(event).persistent:
        set_committed_value(event, "confirmed_count", confirmed_count + 1)


def queue_and_tell(seats: Row, registration_id: int, message_for) -> int:
    """``queue_at_end`` and the person's email (``message_for(place)``, an
    outbox row); one statement on PostgreSQL, as ``seat_and_tell``."""
    place = seats.waiting_count + 1
    if not is_postgresql(db.session):
        queue_at_end(seats, registration_id)
        _queued(insert_row_once(message_for(place)))
        return place
    values = {
        "registration_id": registration_id,
        "next_position": seats.waitlist_tail + 1,
    }
    _queued(insert_row_after(_QUEUED, values, message_for(place)))
    return place


def _queued(message_id: int | None) -> None:
    # A new registration's key cannot be taken: no row means the statement
    # changed nothing, and the request must fail rather than lose the email.
    if message_id is None:
        raise RuntimeError("the registration's email was not queued")


def confirmed_of_type(event: Event, stakeholder_type: StakeholderType) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id,
            Registration.stakeholder_type_id == stakeholder_type.id,
            Registration.status == "confirmed",
        )
    )


def event_has_room(event: Event) -> bool:
    return event.capacity is None or event.confirmed_count < event.capacity


def type_has_room(event: Event, stakeholder_type: StakeholderType) -> bool:
    if stakeholder_type.cap is None:
        return True
    return confirmed_of_type(event, stakeholder_type) < stakeholder_type.cap


def seat_available(event: Event, stakeholder_type: StakeholderType) -> bool:
    """True when both the event and the type have a free seat (after lock_event)."""
    return event_has_room(event) and type_has_room(event, stakeholder_type)


def take_seat(
    registration: Registration, *, now: datetime, override_cap: bool = False
) -> None:
    """Confirm a registration, counting its seat; Conflict when there is none."""
    if registration.status == "confirmed":
        return
    event = registration.event
    if not event_has_room(event):
        raise Conflict(_("This event is full."))
    if not override_cap and not type_has_room(event, registration.stakeholder_type):
        raise Conflict(
            _(
                "The seats for %(type)s are all taken.",
                type=registration.stakeholder_type.label,
            )
        )
    event.confirmed_count += 1
    registration.status = "confirmed"
    registration.waitlist_position = None
    registration.confirmed_at = now
    registration.updated_at = now
    db.session.flush()
    seat_taken(registration)


def release_seat(registration: Registration) -> None:
    """Give back a confirmed registration's seat; the caller sets the new status."""
    if registration.status == "confirmed":
        registration.event.confirmed_count -= 1
        db.session.flush()
        seat_released(registration)


def add_to_waitlist(registration: Registration) -> int:
    """Put a registration at the end of its event's waiting list (after lock_event).

    The last position handed out is read from the event row, where the
    triggers keep it current within this transaction too (an ORM event
    object may hold an older copy).
    """
    last = db.session.scalar(
        select(_EVENTS.c.waitlist_tail).where(_EVENTS.c.id == registration.event_id)
    )
    registration.status = "waitlisted"
    registration.waitlist_position = last + 1
    db.session.flush()
    return registration.waitlist_position


def promote_from_waitlist(event: Event, *, now: datetime) -> list[Registration]:
    """Confirm the oldest waitlisted people who fit while seats are free; tell them."""
    promoted: list[Registration] = []
    if not event_has_room(event):
        # The usual case while an event is full: no need to read the queue,
        # which in a surge grows by one with every registration.
        return promoted
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == "waitlisted",
        )
        .order_by(Registration.waitlist_position)
    )
    for registration in list(waiting):
        if not event_has_room(event):
            break
        # Someone whose type is full keeps their place for a later seat.
        if not type_has_room(event, registration.stakeholder_type):
            continue
        take_seat(registration, now=now)
        # A person can be promoted again later (moved back to the waiting
        # list, re-registered): each promotion is its own message.
        queue_registration_email(
            registration, "promoted", now=now, dedup_suffix=_moment_key(now)
        )
        announce(event, registration_kinds("promoted"), registration, now=now)
        promoted.append(registration)
    return promoted


def _moment_key(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%f")
