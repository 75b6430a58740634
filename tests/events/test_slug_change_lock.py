"""Renaming a published event's slug while someone registers: no deadlock.

A registration inserts its row before it takes the event lock, so its
foreign-key check already holds a KEY SHARE lock on the event row while it
waits for the seat lock. Changing the slug (the event's unique key) needs FOR
UPDATE, which waits for that KEY SHARE: had the edit first taken the seat lock
(FOR NO KEY UPDATE) and only then written the slug, each would wait for the
other. PostgreSQL only: SQLite runs one writer at a time.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from consult.auth.models import User
from consult.events.models import Event
from consult.events.services import update_event
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.seats import (
    ensure_stakeholder_types,
    lock_event,
    take_seat,
)
from consult.signing import new_nonce

JOIN_TIMEOUT = 60


def test_renaming_the_slug_while_a_registration_waits_for_its_seat(
    app, backend, make_event, event_data, organiser, now
):
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the lock modes are PostgreSQL's")
    event = make_event(organiser, publish=True)
    type_id = ensure_stakeholder_types(event)[0].id
    db.session.commit()
    event_id, organiser_id = event.id, organiser.id
    db.session.remove()
    inserted = threading.Event()
    errors: list[BaseException] = []

    def registrant():
        # The order of register(): the row first, then the seat lock.
        with app.app_context():
            try:
                registration = Registration(
                    event_id=event_id,
                    stakeholder_type_id=type_id,
                    full_name="Racing Registrant",
                    email="racing@example.org",
                    country="MY",
                    timezone="Asia/Kuala_Lumpur",
                    privacy_notice_version=1,
                    privacy_consented_at=now,
                    manage_nonce=new_nonce(),
                    created_at=now,
                    updated_at=now,
                    status="pending",
                )
                db.session.add(registration)
                db.session.flush()
                inserted.set()
                time.sleep(0.5)  # the organiser's edit asks for its lock meanwhile
                lock_event(event_id)
                take_seat(registration, now=now)
                db.session.commit()
            except BaseException as exc:
                db.session.rollback()
                errors.append(exc)
            finally:
                inserted.set()
                db.session.remove()

    def organiser_edit():
        with app.app_context():
            try:
                assert inserted.wait(30)
                target = db.session.get(Event, event_id)
                actor = db.session.get(User, organiser_id)
                update_event(
                    target, actor, event_data(slug="renamed-while-open"), now=now
                )
                db.session.commit()
            except BaseException as exc:
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=registrant),
        threading.Thread(target=organiser_edit),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "workers hung"
    assert not errors, errors
    db.session.expire_all()
    event = db.session.get(Event, event_id)
    assert event.slug == "renamed-while-open"
    assert event.confirmed_count == 1
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == event_id)
    )
    assert registration.status == "confirmed"
