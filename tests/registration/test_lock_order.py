"""PostgreSQL: every path that adds a registration locks the event before it
takes the email's unique entry.

The public form's one statement (register_one.py) takes the event's row lock
and then inserts the person's row. Were another path to insert first and ask
for the event's lock after, two requests for one email could each hold what
the other waits for, and PostgreSQL would abort one as a deadlock. Here the
event's row is held by another connection while a registration starts on each
path: the registration must wait for the event without holding the email,
which a probe inserting the same email (and giving up after a short wait)
shows.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from consult.auth.models import User
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import RegistrationData, register
from consult.registration.services.register_fast import INSERT_NEW
from tests.conftest import FIXED_NOW
from tests.factories import registration_row

EMAIL = "both@example.org"
WAIT_SECONDS = 10


def _waiting_for_a_lock(connection, others: tuple[int, ...]) -> bool:
    """Whether a backend other than ``others`` waits for a lock now."""
    return bool(
        connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                " current_database() AND wait_event_type = 'Lock'"
                " AND NOT (pid = ANY(:others))"
            ),
            {"others": list(others)},
        ).scalar()
    )


@pytest.mark.parametrize("path", ["public_form", "expert", "organiser"])
def test_a_registration_waits_for_the_event_before_it_takes_the_email(
    app, backend, make_reg_event, organiser, path
):
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; row locks are PostgreSQL's")
    event = make_reg_event(capacity=5)
    event_id, organiser_id = event.id, organiser.id
    type_id = db.session.scalar(
        select(StakeholderType.id).where(
            StakeholderType.event_id == event_id,
            StakeholderType.key == "government",
        )
    )
    db.session.commit()
    # Connections of their own, not the application's pool (which the
    # registration's thread needs).
    engine = create_engine(db.engine.url)
    outcome: dict[str, object] = {}

    def registration() -> None:
        with app.app_context():
            try:
                data = RegistrationData(
                    full_name="Both Ways",
                    email=EMAIL,
                    country="MY",
                    timezone="Asia/Kuala_Lumpur",
                    type_key="government",
                    role="expert" if path == "expert" else "attendee",
                    consent_privacy=True,
                )
                helper = (
                    db.session.get(User, organiser_id) if path == "organiser" else None
                )
                outcome["created"] = register(
                    db.session.get(Event, event_id),
                    data,
                    now=FIXED_NOW,
                    assisted_by=helper,
                ).created
                db.session.commit()
            except Exception as exc:  # reported by the test, not lost in the thread
                outcome["error"] = exc
                db.session.rollback()
            finally:
                db.session.remove()

    with engine.connect() as holder, engine.connect() as probe:
        holder.execute(
            select(Event.id).where(Event.id == event_id).with_for_update(key_share=True)
        )
        ours = (
            holder.execute(text("SELECT pg_backend_pid()")).scalar(),
            probe.execute(text("SELECT pg_backend_pid()")).scalar(),
        )
        thread = threading.Thread(target=registration)
        thread.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while not _waiting_for_a_lock(probe, ours):
            assert thread.is_alive(), outcome
            assert time.monotonic() < deadline, "the registration never waited"
            time.sleep(0.05)
        probe.rollback()
        # The same email, from a third transaction, while the registration
        # waits for the event: it goes in at once (nobody holds the email).
        probe.execute(text("SET lock_timeout = '500ms'"))
        row = registration_row(
            event_id, type_id, FIXED_NOW, email=EMAIL, full_name="Probe"
        )
        assert probe.execute(INSERT_NEW["postgresql"], row).scalar() is not None
        probe.rollback()
        holder.rollback()  # the registration goes on
        thread.join(30)
    engine.dispose()
    assert not thread.is_alive()
    assert outcome == {"created": True}
    [stored] = db.session.scalars(
        select(Registration).where(Registration.event_id == event_id)
    ).all()
    assert stored.email == EMAIL and stored.full_name == "Both Ways"
