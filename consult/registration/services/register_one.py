"""PostgreSQL: a new registration, its seat or place and its email in one statement.

In a surge every registration for an event waits for the event's row lock,
so what a registration does while it holds the lock bounds how many an event
can take per second, and what each one costs the two cores bounds the rest.
One statement takes the event's lock, inserts the person's row with its
final status (a seat, or the next place on the waiting list), counts the seat
and queues the email, then tells whether the event is full now and whether
anyone listens to its facts (webhooks). Before, the row went in first as
"pending" and the statement changed it: a second round trip, and an UPDATE
that rewrote the row and added an entry to each of its eight indexes again.

Locks are taken in one order on every path that adds a registration: the
event's row first, then the email's unique entry (``register_fast`` and the
general path in register.py lock before they insert), so two requests for
the same email never wait for each other in opposite orders.

The statement acts only if what it guessed holds on the locked row: a seat
(one free, nobody waiting) or a place at the end of the waiting list (no seat
free), for the event's settings the form's kept copies were made with
(``registration_version``, ``created_at``), and only for an email not yet
registered. Otherwise it inserts nothing and returns the locked row's
counters; the event stays locked and the fast path decides on them. Each
process remembers per event whether its last registration left the event
full, so a wrong guess costs one statement, when the event fills or seats
come free.

The email's deduplication key and Message-ID contain the new row's id, so
they are written by the statement itself (``registration_dedup_key_sql``,
``message_id_sql``), each next to the function that writes them in Python.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import JSON, and_, bindparam, cast, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.engine import Row
from sqlalchemy.types import String

from consult.content import text_in
from consult.events.models import Event
from consult.extensions import db
from consult.facts import interest_in
from consult.notifications.mime import message_id_sql
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.emails import (
    registration_dedup_key_sql,
    registration_email_row,
)
from consult.registration.services.result import RegistrationResult
from consult.registration.services.seats import lock_event_row

_EVENTS = Event.__table__
_REGISTRATIONS = Registration.__table__
_OUTBOX = OutboundEmail.__table__
# Written by the statement from the new row's id, not taken from the caller.
_FROM_THE_ROW = ("registration_id", "dedup_key", "message_id")


def _guesses() -> dict[tuple, bool]:
    """Whether this application's last registration for an event (by id and
    creation instant, as ids come back) left it full: the next guess. Kept
    per application, like the form's copies (form_data.py)."""
    return current_app.extensions.setdefault("consult.registration_guesses", {})


def _typed(table, name: str, prefix: str):
    """The parameter for ``name``, cast to its column's type; text without
    its length, as a cast to VARCHAR(n) would cut a longer value silently,
    where the INSERT refuses it ("value too long") as an INSERT of values
    does."""
    column = table.c[name]
    target = column.type
    if isinstance(target, String) and target.length is not None:
        target = String()
    return cast(bindparam(f"{prefix}{name}", type_=column.type), target)


def _statement(
    waitlisted: bool, columns: tuple[str, ...], outbox: tuple[str, ...], sender: str
):
    """The statement for one guess; ``columns``: the registration's columns
    from the caller, ``outbox``: the email row's."""
    # A column whose default SQLAlchemy computes (a callable) would be NULL
    # here, where an INSERT of values gets it: the caller must give it.
    missing = [
        column.name
        for column in _REGISTRATIONS.c
        if column.default is not None
        and not column.default.is_scalar
        and column.name not in columns
        and column.name not in _PLACEMENT
    ]
    if missing:
        raise ValueError(f"the registration's row lacks {', '.join(missing)}")
    # The event's row, locked as ``lock_event_row`` locks it (FOR NO KEY
    # UPDATE), if its settings are the ones the form's copies were made with;
    # the same columns, so the caller can decide on them when nothing is placed.
    locked = (
        select(
            _EVENTS.c.id,
            _EVENTS.c.confirmed_count,
            _EVENTS.c.capacity,
            _EVENTS.c.registration_version,
            _EVENTS.c.created_at,
            _EVENTS.c.waiting_count,
            _EVENTS.c.waitlist_tail,
        )
        .where(
            _EVENTS.c.id == bindparam("e_id"),
            _EVENTS.c.registration_version == bindparam("e_version"),
            _EVENTS.c.created_at == _typed(_EVENTS, "created_at", "e_"),
        )
        .with_for_update(key_share=True)
        .cte("locked")
    )
    given = [_typed(_REGISTRATIONS, name, "r_") for name in columns]
    if waitlisted:
        # No seat free: the end of the waiting list (the insert's trigger
        # moves the counters, registration/waiting_counters.py).
        room = and_(
            locked.c.capacity.is_not(None),
            locked.c.confirmed_count >= locked.c.capacity,
        )
        status = {
            "status": literal("waitlisted"),
            "waitlist_position": locked.c.waitlist_tail + 1,
        }
        place = locked.c.waiting_count + 1
    else:
        # A seat free and nobody waiting for one (the queue comes first).
        room = and_(
            or_(
                locked.c.capacity.is_(None),
                locked.c.confirmed_count < locked.c.capacity,
            ),
            locked.c.waiting_count == 0,
        )
        status = {
            "status": literal("confirmed"),
            "confirmed_at": _typed(_REGISTRATIONS, "confirmed_at", "r_"),
        }
        place = literal(None)
    # ON CONFLICT: the email is registered already (its row committed before
    # this transaction had the event's lock); nothing is placed then.
    placed = (
        postgresql_insert(_REGISTRATIONS)
        .from_select(
            [*columns, *status],
            select(*given, *status.values()).select_from(locked).where(room),
            include_defaults=False,
        )
        .on_conflict_do_nothing(index_elements=["event_id", "email"])
        .returning(_REGISTRATIONS.c.id)
        .cte("placed")
    )
    counted = ()
    if not waitlisted:
        # The seat counted only if the person's row went in (nothing reads
        # this one: ``add_cte`` below writes it into the statement).
        counted = (
            _EVENTS.update()
            .where(_EVENTS.c.id == locked.c.id, select(placed.c.id).exists())
            .values(confirmed_count=_EVENTS.c.confirmed_count + 1)
            .returning(_EVENTS.c.id)
            .cte("counted"),
        )
        params = _typed(_OUTBOX, "params", "q_")
        full_after = and_(
            locked.c.capacity.is_not(None),
            locked.c.confirmed_count + 1 >= locked.c.capacity,
        )
    else:
        params = cast(
            cast(bindparam("q_params", type_=JSONB), JSONB).op("||")(
                func.jsonb_build_object("waitlist_place", place)
            ),
            JSON,
        )
        full_after = literal(True)
    kind = "waitlisted" if waitlisted else "confirmed"
    dedup_key = registration_dedup_key_sql(placed.c.id, kind)
    mail = (
        postgresql_insert(_OUTBOX)
        .from_select(
            [*outbox, *_FROM_THE_ROW, "params"],
            select(
                *(_typed(_OUTBOX, name, "q_") for name in outbox),
                placed.c.id,
                dedup_key,
                message_id_sql(dedup_key, sender),
                params,
            )
            .select_from(placed)
            .join(locked, true()),
            include_defaults=False,
        )
        .on_conflict_do_nothing()
        .returning(_OUTBOX.c.id)
        .cte("mail")
    )
    # The locked row's counters, the new row and its email (none when nothing
    # was placed), the place, whether the event is full now, and whether
    # anyone listens to its facts (webhooks), read under the same lock.
    return (
        select(
            locked.c.confirmed_count,
            locked.c.capacity,
            locked.c.registration_version,
            locked.c.created_at,
            locked.c.waiting_count,
            locked.c.waitlist_tail,
            placed.c.id.label("registration_id"),
            mail.c.id.label("email_id"),
            place.label("place"),
            full_after.label("full_after"),
            room.label("fits"),
            interest_in(locked.c.id).label("heard"),
        )
        .select_from(locked)
        .outerjoin(placed, true())
        .outerjoin(mail, true())
        .add_cte(*counted)
    )


_STATEMENTS: dict[tuple, Any] = {}
# Set by the statement from what it finds, never taken from the caller.
_PLACEMENT = ("status", "waitlist_position", "confirmed_at")
# The columns' own defaults (an INSERT of values gets them from SQLAlchemy; an
# INSERT from a SELECT in a CTE does not), for the columns the caller leaves out.
_DEFAULTS = {
    column.name: column.default.arg
    for column in _REGISTRATIONS.c
    if column.default is not None
    and column.default.is_scalar
    and column.name not in _PLACEMENT
}


def lock_and_place(
    event: Event,
    row: dict,
    stakeholder_type,
    values: dict,
    *,
    now: datetime,
) -> tuple[RegistrationResult | None, Row | None]:
    """The event's lock, a new registration with its seat or place, and its
    email, in one statement.

    ``row``: the registration's columns as the caller would insert them.
    Returns ``(result, None)`` when the person was placed; ``(None, seats)``
    when the guess did not hold: nothing was written, the event's row is
    locked and ``seats`` has its counters (as ``lock_event_row`` returns
    them); ``(None, None)`` when there is nothing to place: the event's
    settings changed since the form's copies were read (or it is gone), or
    the email is registered already (nothing written either way). The
    result's ``heard``: whether anyone listens to the event's facts
    (``facts.interest_in``).

    Only for what needs no more than a seat or a place: the caller leaves out
    experts, events that approve, people who asked for SMS and groups with a
    cap.
    """
    guesses = _guesses()
    known = (event.id, event.created_at)
    full = guesses.get(known)
    if full is None:
        full = event.capacity is not None and event.confirmed_count >= event.capacity
    if full and not event.waitlist_enabled:
        # No statement for a full event without a waiting list: the caller
        # decides on the locked counters, which also make the next guess (a
        # seat may have come free).
        seats = lock_event_row(event.id)
        guesses[known] = (
            seats.capacity is not None and seats.confirmed_count >= seats.capacity
        )
        return None, seats
    kind = "waitlisted" if full else "confirmed"
    message = registration_email_row(
        0,  # the new row's id: the statement writes what depends on it
        kind,
        email=values["email"],
        full_name=values["full_name"],
        event=event,
        now=now,
    )
    for name in _FROM_THE_ROW:
        del message[name]
    base_params = message.pop("params")
    given = {**_DEFAULTS, **{k: v for k, v in row.items() if k not in _PLACEMENT}}
    columns = tuple(given)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    key = (full, columns, tuple(message), sender)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _statement(full, columns, tuple(message), sender)
    parameters = {
        "e_id": event.id,
        "e_version": event.registration_version,
        "e_created_at": event.created_at,
        **{f"r_{name}": value for name, value in given.items()},
        **{f"q_{name}": value for name, value in message.items()},
        "q_params": base_params,
    }
    if not full:
        parameters["r_confirmed_at"] = now
    done = db.session.execute(statement, parameters).first()
    if done is None:
        return None, None
    if done.registration_id is None:
        if done.fits:
            # The guess held, but the email is registered already: nothing
            # to place (the general path sends the person their link again).
            return None, None
        guesses[known] = not full  # the other way next time
        return None, done
    guesses[known] = done.full_after
    if done.email_id is None:
        # A new row's key cannot be taken: fail rather than lose the email.
        raise RuntimeError("the registration's email was not queued")
    result = RegistrationResult(
        registration_id=done.registration_id,
        status=kind,
        place=done.place,
        type_label=text_in(stakeholder_type, "label"),
        event_full=full,
        contact=row,
    )
    result.heard = done.heard
    return result, None
