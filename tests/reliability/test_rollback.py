"""A change that rolls back leaves no outbox row: the email goes with the change.

queue_email on its own is covered in tests/notifications/test_queue.py; here
whole changes that queue mail (a registration, a cancellation that promotes
someone from the waiting list) are rolled back after their emails were queued,
and a separate connection (what the scheduler would see) finds nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.database import write_intent
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services import (
    RegistrationData,
    cancel_registration,
    register,
)


def _committed(model, *conditions) -> int:
    """Rows another connection sees (the dispatcher's view), not this session's."""
    with write_intent(False), db.engine.connect() as other:
        count = other.scalar(select(func.count(model.id)).where(*conditions))
        other.rollback()
    return count


def _person(email: str) -> RegistrationData:
    return RegistrationData(
        full_name="Siti Aminah",
        email=email,
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="government",
        consent_privacy=True,
    )


def test_a_rolled_back_registration_leaves_no_email(app, reg_event, now):
    result = register(reg_event, _person("siti@example.my"), now=now)
    assert result.created and result.status == "confirmed"
    # The confirmation is queued inside the registration's transaction.
    queued = db.session.scalar(select(func.count(OutboundEmail.id)))
    assert queued >= 1
    db.session.rollback()

    assert _committed(OutboundEmail) == 0
    assert _committed(Registration) == 0
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == 0
    assert db.session.get(Event, reg_event.id).confirmed_count == 0


def test_a_rolled_back_cancellation_sends_neither_note_nor_promotion(
    app, make_reg_event, make_registration, now
):
    event = make_reg_event(capacity=1)
    leaving = make_registration(event)
    waiting = make_registration(event, status="waitlisted")
    before = _committed(OutboundEmail)

    cancel_registration(leaving, now=now)
    db.session.flush()
    assert waiting.status == "confirmed"  # promoted within the transaction
    assert db.session.scalar(select(func.count(OutboundEmail.id))) > before
    db.session.rollback()

    assert _committed(OutboundEmail) == before
    db.session.expire_all()
    assert leaving.status == "confirmed" and waiting.status == "waitlisted"
    assert db.session.scalar(select(func.count(OutboundEmail.id))) == before
