"""The data version's counter never makes two writers of one event wait for each other.

A writer inserts a registration's row before it takes the event's lock (the
public form did so until it took the event's lock first; here it is done by
hand); an organiser's cancellation takes the event's lock, then changes a
registration. Were the counter bumped at once (an immediate trigger), the
writer would hold the counter's row from its INSERT and the two would
deadlock. The PostgreSQL triggers run at commit (consult/data_versions.py).
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text, update

from consult.data_versions import data_version
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.register_fast import INSERT_NEW
from tests.factories import registration_row

LOCK_WAIT = "10s"


def _new_row(event, existing, now) -> dict:
    return registration_row(
        event.id,
        existing.stakeholder_type_id,
        now,
        email="newcomer@example.org",
        full_name="Newcomer",
        notice_version=event.privacy_notice_version,
    )


def test_a_registration_and_a_cancellation_do_not_deadlock(
    app, backend, make_reg_event, make_registration, now
):
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; row locks are PostgreSQL's")
    event = make_reg_event()
    existing = make_registration(event)
    row, event_id, existing_id = _new_row(event, existing, now), event.id, existing.id
    existing_email = existing.email
    before = data_version(event_id)
    db.session.remove()
    # The services' event lock (FOR NO KEY UPDATE: the INSERT's foreign key
    # check holds a KEY SHARE lock on the event row, which it lets pass).
    lock_event = (
        select(Event.id).where(Event.id == event_id).with_for_update(key_share=True)
    )
    engine = db.engine
    outcomes: dict[str, str] = {}
    locked = threading.Event()

    def organiser() -> None:
        with engine.connect() as connection:
            connection.execute(text(f"SET lock_timeout = '{LOCK_WAIT}'"))
            try:
                connection.execute(lock_event)
                locked.set()
                connection.execute(
                    update(Registration)
                    .where(Registration.id == existing_id)
                    .values(status="cancelled")
                )
                connection.commit()
                outcomes["organiser"] = "ok"
            except Exception as exc:
                outcomes["organiser"] = f"{type(exc).__name__}: {exc}"
                locked.set()

    with engine.connect() as newcomer:
        newcomer.execute(text(f"SET lock_timeout = '{LOCK_WAIT}'"))
        # A row before the event's lock (the fast path's order until 12-05).
        assert newcomer.execute(INSERT_NEW["postgresql"], row).scalar()
        thread = threading.Thread(target=organiser)
        thread.start()
        assert locked.wait(30)
        time.sleep(0.3)  # the organiser's UPDATE is on its way meanwhile
        try:
            newcomer.execute(lock_event)
            newcomer.commit()
            outcomes["newcomer"] = "ok"
        except Exception as exc:
            outcomes["newcomer"] = type(exc).__name__
        thread.join(30)

    assert outcomes == {"organiser": "ok", "newcomer": "ok"}
    statuses = dict(
        db.session.execute(
            select(Registration.email, Registration.status).where(
                Registration.event_id == event_id
            )
        ).all()
    )
    assert statuses["newcomer@example.org"] == "pending"
    assert statuses[existing_email] == "cancelled"
    # Both changes counted, each at its commit.
    assert data_version(event_id) != before
