"""Two reminder engines at once on PostgreSQL: each reminder is queued once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderDispatch
from consult.notifications.reminders import (
    due_at,
    engine,
    enqueue_due_reminders,
    ensure_default_plan,
)

PEOPLE = 30
ENGINES = 3


def _run_engines_at_once(app, now):
    start = threading.Barrier(ENGINES)
    reports, errors = [], []

    def run():
        try:
            with app.app_context():
                start.wait(10)
                reports.append(enqueue_due_reminders(now=now))
                db.session.remove()
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(ENGINES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return reports


@pytest.mark.parametrize("event_lock", [True, False], ids=["locked", "unique-only"])
def test_concurrent_engines_queue_each_reminder_once(
    app, backend, make_reg_event, make_registration, now, monkeypatch, event_lock
):
    if backend != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    if not event_lock:
        # Without the per-event lock the unique constraints alone must hold.
        monkeypatch.setattr(engine, "_claim_event", lambda event_id: True)
    events = [make_reg_event(title=f"Event {n}") for n in range(2)]
    for event in events:
        ensure_default_plan(event, now=now - timedelta(days=10))
        db.session.commit()
        for _ in range(PEOPLE):
            make_registration(event)
    hour_item = ensure_default_plan(events[0], now=now)[2]
    run_at = due_at(hour_item, events[0])

    reports = _run_engines_at_once(app, run_at)

    db.session.expire_all()
    keys = db.session.scalars(select(OutboundEmail.dedup_key)).all()
    reminder_keys = [k for k in keys if k.startswith("reminder:")]
    # All three reminders are due; the catch-up rule sends only the latest
    # (the 1-hour one) to each person and records the two others as skipped.
    assert len(reminder_keys) == 2 * PEOPLE
    assert not [k for k, n in Counter(reminder_keys).items() if n > 1]
    assert sum(r.queued for r in reports) == 2 * PEOPLE
    dispatches = db.session.scalars(select(ReminderDispatch.status)).all()
    assert sorted(dispatches) == ["queued"] * (2 * PEOPLE) + ["skipped"] * (
        2 * 2 * PEOPLE
    )
