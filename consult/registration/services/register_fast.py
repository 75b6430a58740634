"""A new person on the public form, in a few Core statements: the fast path.

``register`` (register.py) takes it for a new email on the public form once
the input is checked; anything it cannot decide alone it hands back (None)
with nothing written, and the general path decides on the locked event.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from consult.content import text_in
from consult.errors import Conflict
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.queued_rows import insert_row_once
from consult.registration.models import Registration
from consult.registration.services.emails import registration_email_row
from consult.registration.services.register_one import lock_and_place
from consult.registration.services.result import RegistrationResult
from consult.registration.services.seats import (
    lock_event_row,
    queue_and_tell,
    seat_and_tell,
    type_has_room,
)
from consult.registration.services.sms_queue import queue_registration_sms
from consult.signing import new_nonce

_REGISTRATIONS = Registration.__table__
# Built once: the statement's shape is the same for every registration.
INSERT_NEW = {
    name: insert(_REGISTRATIONS)
    .on_conflict_do_nothing(index_elements=["event_id", "email"])
    .returning(_REGISTRATIONS.c.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


def register_fast(event: Event, values: dict, *, now: datetime):
    """A new person on the public form: seat or queue, row, email; Core only.

    The same rules as ``place``, without an ORM unit of work. The event's row
    is locked first, then the row goes in (``ON CONFLICT DO NOTHING`` on the
    one-per-email constraint: the email registered already inserts nothing),
    the seat is taken by an UPDATE of the counter or the person queued, and
    the email queued for the sender to compose. On PostgreSQL all of it is
    one statement when its guess holds (register_one.py). Returns None when
    the slower, general path must decide (the email is registered already,
    the event's settings changed, or people wait although seats are free, so
    the queue is served first); nothing has been written then.
    """
    stakeholder_type = values["stakeholder_type"]
    row = {
        **{k: v for k, v in values.items() if k != "stakeholder_type"},
        "stakeholder_type_id": stakeholder_type.id,
        "event_id": event.id,
        "status": "pending",
        "manage_nonce": new_nonce(),
        "assisted": False,
        "created_at": now,
        "updated_at": now,
    }
    connection = db.session.connection()
    if (
        connection.dialect.name == "postgresql"
        and values["role"] != "expert"
        and not event.requires_approval
        and stakeholder_type.cap is None
        and values["sms_consented_at"] is None
    ):
        # The lock, the row, the seat or place and the email in one statement
        # when its guess holds; else the counters of the event it locked.
        done, seats = lock_and_place(event, row, stakeholder_type, values, now=now)
        if done is not None:
            return done
        if seats is None:
            # The event's settings changed, or the email is registered
            # already: the general path decides (or sends the link again).
            return None
    else:
        seats = lock_event_row(event.id)
    # The event's lock first, then the row (as on every path that adds a
    # registration, so two requests for one email never wait for each other
    # in opposite orders).
    settings = (seats.registration_version, seats.created_at)
    expert = values["role"] == "expert"
    event_has_seat = seats.capacity is None or seats.confirmed_count < seats.capacity
    if settings != (event.registration_version, event.created_at) or (
        event_has_seat and not expert and seats.waiting_count
    ):
        # The event's settings changed since the form's data was read (the
        # general path decides on the locked, current event), or seats are
        # free while people wait (the general path serves them first).
        return None
    registration_id = connection.execute(
        INSERT_NEW[connection.dialect.name], row
    ).scalar()
    if registration_id is None:
        return None  # registered already: the general path re-sends the link
    waitlist_place = None

    def message(kind: str, place: int | None = None) -> dict:
        return registration_email_row(
            registration_id,
            kind,
            email=values["email"],
            full_name=values["full_name"],
            event=event,
            now=now,
            waitlist_place=place,
        )

    if expert or event.requires_approval:
        status, kind = "pending", "pending"
        insert_row_once(message("pending"))
    elif event_has_seat and type_has_room(event, stakeholder_type):
        status, kind = "confirmed", "confirmed"
        seat_and_tell(
            event, seats.confirmed_count, registration_id, now, message("confirmed")
        )
    elif event.waitlist_enabled:
        status, kind = "waitlisted", "waitlisted"
        waitlist_place = queue_and_tell(
            seats, registration_id, lambda place: message("waitlisted", place)
        )
    else:
        raise Conflict(_("This event is full."))
    if values["sms_consented_at"] is not None:
        queue_registration_sms(
            registration_id, kind, phone=values["phone"], event_id=event.id, now=now
        )
    return RegistrationResult(
        registration_id=registration_id,
        status=status,
        place=waitlist_place,
        # The thank-you page names the group in the visitor's language.
        type_label=text_in(stakeholder_type, "label"),
        event_full=not event_has_seat,
        contact=row,
    )
