"""The daily limit holds under real concurrency: each request is a thread
with its own connection (PostgreSQL, and SQLite's file database), all
started together; no more than the limit get through."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.directory.models import MeetingRequest
from consult.directory.services.meetings import send_request
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration
from tests.clock import FIXED_NOW, wall
from tests.registration.test_concurrency import run_together

LIMIT = 3
SENDERS = 12


def _asking(sender_id, recipient_id):
    def job():
        sender = db.session.get(Registration, sender_id)
        return send_request(
            sender, recipient_id, "Hello", [wall(2, 10)], "UTC", now=FIXED_NOW
        ).id

    return job


def test_concurrent_requests_stop_at_the_daily_limit(app, amina, listed):
    app.config["MEETING_REQUEST_DAILY_LIMIT"] = LIMIT
    others = [listed(full_name=f"Other {n}") for n in range(SENDERS)]
    jobs = [_asking(amina.id, other.id) for other in others]
    results, errors = run_together(app, jobs)
    assert len(results) == LIMIT
    assert len(errors) == SENDERS - LIMIT
    assert all(isinstance(error, ValidationFailed) for error in errors)
    db.session.rollback()
    stored = db.session.scalar(
        select(func.count(MeetingRequest.id)).where(
            MeetingRequest.sender_id == amina.id
        )
    )
    assert stored == LIMIT
