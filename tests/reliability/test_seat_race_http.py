"""The last seats, fought over through HTTP by a crowd, served by several gunicorn workers.

The service-level races (200 threads, per-type caps, one email twenty times,
cancellations promoting) are in tests/registration/test_concurrency.py. This
is the same guarantee end to end: real browsers' requests (each with its own
session cookie and CSRF token, as in production), separate worker processes
with their own connection pools, the route's commit. Runs on PostgreSQL and
on a SQLite file shared by the worker processes.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration
from consult.timeutil import now_utc

from .conftest import Browser, registration_form

CAPACITY = 10
TAKEN = 7  # seats already confirmed before the crowd arrives
CROWD = 40  # different people, all at once
SAME = 8  # one more person who presses "Register" in eight tabs at once
TWIN = "twin@example.org"


def _outcome(body: str) -> str:
    if "Your seat is confirmed." in body:
        return "confirmed"
    if "you are on the waiting list at position" in body:
        return "waitlisted"
    if "You are already registered" in body:
        return "existing"
    return "unknown"


def _post_together(
    web, path: str, emails: list[str], types: list[str] | None = None
) -> list[tuple[str, object]]:
    """Each email from its own browser; forms loaded first, then all POSTs at once."""
    types = types or ["government"] * len(emails)
    barrier = threading.Barrier(len(emails))
    answers: list[tuple[str, object]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def visitor(email: str, type_key: str) -> None:
        try:
            browser = Browser(web.base, timeout=60)
            token = browser.csrf_token(path)
            barrier.wait(180)
            answer = browser.post(path, registration_form(token, email, type_key))
            with lock:
                answers.append((email, answer))
        except BaseException as exc:  # reported below, not lost in the thread
            with lock:
                errors.append(exc)

    threads = [
        threading.Thread(target=visitor, args=pair)
        for pair in zip(emails, types, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)
    assert not any(thread.is_alive() for thread in threads), "requests hung"
    assert not errors, errors[:3]
    return answers


@pytest.mark.slow
def test_a_crowd_over_http_never_overbooks_and_loses_no_one(
    web, make_reg_event, make_registration
):
    real_now = now_utc()  # the route registers on the real clock
    event = make_reg_event(
        capacity=CAPACITY,
        start_at=real_now + timedelta(days=30),
        end_at=real_now + timedelta(days=30, hours=2),
        registration_closes_at=None,
    )
    for _ in range(TAKEN):
        make_registration(event)
    slug, event_id = event.slug, event.id
    db.session.commit()

    emails = [f"crowd{n}@example.org" for n in range(CROWD)] + [TWIN] * SAME
    answers = _post_together(web, f"/events/{slug}/register", emails)

    statuses = Counter(answer.status for _, answer in answers)
    odd = [(e, a.status, a.body[:800]) for e, a in answers if a.status != 200]
    assert statuses == {200: CROWD + SAME}, (statuses, odd[:3], web.log()[-3000:])
    db.session.expire_all()
    stored = {
        r.email: r
        for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event_id)
        )
    }
    db.session.rollback()
    # Nothing lost: every answered person is stored, once.
    assert len(stored) == TAKEN + CROWD + 1
    for email, answer in answers:
        told = _outcome(answer.body)
        assert told != "unknown", answer.body[:2000]
        if email != TWIN:
            assert told == stored[email].status, (email, told, stored[email].status)
    twin_outcomes = Counter(_outcome(answer.body) for e, answer in answers if e == TWIN)
    assert twin_outcomes["existing"] == SAME - 1, twin_outcomes
    assert stored[TWIN].status in {"confirmed", "waitlisted"}
    # No overbooking, and the counter agrees with the rows.
    by_status = Counter(r.status for r in stored.values())
    assert by_status == {
        "confirmed": CAPACITY,
        "waitlisted": TAKEN + CROWD + 1 - CAPACITY,
    }
    event = db.session.get(type(event), event_id)
    assert event.confirmed_count == CAPACITY
    positions = sorted(
        r.waitlist_position for r in stored.values() if r.status == "waitlisted"
    )
    assert positions == list(range(1, by_status["waitlisted"] + 1))
    db.session.rollback()
    assert "Traceback" not in web.log()


@pytest.mark.slow
def test_stakeholder_caps_hold_over_http_under_a_mixed_crowd(
    web, make_reg_event, stype
):
    real_now = now_utc()
    event = make_reg_event(
        capacity=50,
        start_at=real_now + timedelta(days=30),
        end_at=real_now + timedelta(days=30, hours=2),
        registration_closes_at=None,
    )
    stype(event, "private").cap = 3
    stype(event, "research").cap = 2
    slug, event_id = event.slug, event.id
    db.session.commit()
    crowd = {"private": 12, "research": 8, "government": 6}
    types = [key for key, n in crowd.items() for _ in range(n)]
    emails = [f"{key}{n}@example.org" for n, key in enumerate(types)]

    answers = _post_together(web, f"/events/{slug}/register", emails, types)

    assert Counter(answer.status for _, answer in answers) == {200: len(emails)}
    db.session.expire_all()
    stored = {
        r.email: r
        for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event_id)
        )
    }
    assert len(stored) == len(emails)
    for email, answer in answers:
        assert _outcome(answer.body) == stored[email].status, email
    confirmed = Counter(
        r.stakeholder_type.key for r in stored.values() if r.status == "confirmed"
    )
    assert confirmed == {"private": 3, "research": 2, "government": 6}
    assert db.session.get(type(event), event_id).confirmed_count == 11
    db.session.rollback()
