"""PostgreSQL: the event's lock, the seat or the place and the email in one statement.

In a surge every registration for an event waits for the event's row lock,
so what a registration does while it holds the lock bounds how many an event
can take per second. The fast path (register_fast.py) held it across two
round trips and the Python between them: the lock's ``SELECT``, then the seat
or the waiting-list place with the email in one statement, then the commit.
Here, once the person's row is in (before the lock, as on every path, so the
locks are always taken in the same order: the email's unique entry, then the
event), the lock, the seat or the place and the email are one statement:
the lock is taken inside it and held while PostgreSQL runs it and until the
commit that follows.

The statement acts only if what it guessed holds on the locked row: a seat
(one free, nobody waiting) or a place at the end of the waiting list (no seat
free), for the event's settings the form's kept copies were made with
(``registration_version``, ``created_at``). Otherwise it changes nothing and
returns no row; the event's row stays locked and the fast path decides on it
as before. Each process remembers per event whether its last registration
left the event full, so a wrong guess costs one statement, when the event
fills or seats come free.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import JSON, and_, bindparam, cast, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as postgresql_insert

from consult.content import text_in
from consult.events.models import Event
from consult.extensions import db
from consult.facts import interest_in
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.emails import registration_email_row
from consult.registration.services.result import RegistrationResult

_EVENTS = Event.__table__
_REGISTRATIONS = Registration.__table__
_OUTBOX = OutboundEmail.__table__


def _guesses() -> dict[tuple, bool]:
    """Whether this application's last registration for an event (by id and
    creation instant, as ids come back) left it full: the next guess. Kept
    per application, like the form's copies (form_data.py)."""
    return current_app.extensions.setdefault("consult.registration_guesses", {})


def _typed(table, name: str, prefix: str):
    column = table.c[name]
    return cast(bindparam(f"{prefix}{name}", type_=column.type), column.type)


def _statement(waitlisted: bool, outbox: tuple[str, ...]):
    """The statement for one guess; ``outbox``: the email row's columns."""
    # The event's row, locked as ``lock_event_row`` locks it (FOR NO KEY
    # UPDATE), if its settings are the ones the form's copies were made with.
    locked = (
        select(
            _EVENTS.c.id,
            _EVENTS.c.confirmed_count,
            _EVENTS.c.capacity,
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
    person = _REGISTRATIONS.c.id == bindparam("r_id")
    if waitlisted:
        # No seat free: the end of the waiting list (the triggers move the
        # counters, registration/waiting_counters.py).
        placed = (
            _REGISTRATIONS.update()
            .where(
                person,
                _REGISTRATIONS.c.event_id == locked.c.id,
                locked.c.capacity.is_not(None),
                locked.c.confirmed_count >= locked.c.capacity,
            )
            .values(status="waitlisted", waitlist_position=locked.c.waitlist_tail + 1)
            .returning(_REGISTRATIONS.c.id)
            .cte("placed")
        )
        place = locked.c.waiting_count + 1
        params = cast(
            cast(bindparam("q_params", type_=JSONB), JSONB).op("||")(
                func.jsonb_build_object("waitlist_place", place)
            ),
            JSON,
        )
        full_after = literal(True)
    else:
        # A seat free and nobody waiting for one (the queue comes first).
        counted = (
            _EVENTS.update()
            .where(
                _EVENTS.c.id == locked.c.id,
                or_(
                    locked.c.capacity.is_(None),
                    locked.c.confirmed_count < locked.c.capacity,
                ),
                locked.c.waiting_count == 0,
            )
            .values(confirmed_count=_EVENTS.c.confirmed_count + 1)
            .returning(_EVENTS.c.id)
            .cte("counted")
        )
        placed = (
            _REGISTRATIONS.update()
            .where(person, select(counted.c.id).exists())
            .values(status="confirmed", confirmed_at=bindparam("r_at"))
            .returning(_REGISTRATIONS.c.id)
            .cte("placed")
        )
        place = literal(None)
        params = _typed(_OUTBOX, "params", "q_")
        full_after = and_(
            locked.c.capacity.is_not(None),
            locked.c.confirmed_count + 1 >= locked.c.capacity,
        )
    mail = (
        postgresql_insert(_OUTBOX)
        .from_select(
            [*outbox, "params"],
            select(*(_typed(_OUTBOX, name, "q_") for name in outbox), params)
            .select_from(placed)
            .join(locked, true()),
            include_defaults=False,
        )
        .on_conflict_do_nothing()
        .returning(_OUTBOX.c.id)
        .cte("mail")
    )
    # The email's row, the place, whether the event is full now, and whether
    # anyone listens to its facts (webhooks), read under the same lock.
    return select(mail.c.id, place, full_after, interest_in(locked.c.id)).join_from(
        mail, locked, true()
    )


_STATEMENTS: dict[tuple, Any] = {}


def lock_and_place(
    event: Event,
    registration_id: int,
    stakeholder_type,
    values: dict,
    row: dict,
    *,
    now: datetime,
) -> RegistrationResult | None:
    """A seat or a place for the new row ``registration_id`` with its email,
    in one statement; None when the guess did not hold (nothing changed, the
    event's row locked). The result's ``heard``: whether anyone listens to
    the event's facts (``facts.interest_in``), read in the same statement.

    Only for what needs no more than a seat or a place: the caller leaves out
    experts, events that approve, people who asked for SMS and groups with a
    cap. ``row``: the registration's columns as inserted.
    """
    guesses = _guesses()
    known = (event.id, event.created_at)
    full = guesses.get(known)
    if full is None:
        full = event.capacity is not None and event.confirmed_count >= event.capacity
    if full and not event.waitlist_enabled:
        return None
    message = registration_email_row(
        registration_id,
        "waitlisted" if full else "confirmed",
        email=values["email"],
        full_name=values["full_name"],
        event=event,
        now=now,
    )
    base_params = message.pop("params")
    key = (full, tuple(message))
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = _statement(full, tuple(message))
    parameters = {
        "e_id": event.id,
        "e_version": event.registration_version,
        "e_created_at": event.created_at,
        "r_id": registration_id,
        "r_at": now,
        **{f"q_{name}": value for name, value in message.items()},
        "q_params": base_params,
    }
    done = db.session.execute(statement, parameters).first()
    if done is None:
        guesses[known] = not full  # the other way next time
        return None
    guesses[known] = done[2]
    result = RegistrationResult(
        registration_id=registration_id,
        status="waitlisted" if full else "confirmed",
        place=done[1],
        type_label=text_in(stakeholder_type, "label"),
        event_full=full,
        contact=row,
    )
    result.heard = done[3]
    return result
