"""An event stored with an absurd date (before dates were bounded) is skipped
and logged by the reminder job; the other events' reminders go out in the same
run, and the job reports success instead of failing every minute."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import SchedulerHeartbeat
from consult.notifications.reminders import due_at, ensure_default_plan
from consult.scheduler.runner import run_job

FAR = datetime(9999, 12, 31, 22, tzinfo=UTC)


def _plan(event, now):
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def test_one_bad_event_does_not_stop_the_reminders_of_a_good_one(
    app, make_reg_event, make_registration, now, outbox, caplog
):
    good = make_reg_event(title="Good consultation")
    bad = make_reg_event(title="Stored in 9999")
    week = _plan(good, now)[0]
    _plan(bad, now)
    make_registration(good, "siti@example.my")
    make_registration(bad, "jan@example.nl")
    # The bad one sorts first (earlier start), its end is in 9999.
    db.session.execute(
        update(Event)
        .where(Event.id == bad.id)
        .values(start_at=good.start_at - timedelta(hours=1), end_at=FAR)
    )
    db.session.commit()
    due = due_at(week, good)
    ids = (good.id, bad.id, week.id)
    db.session.commit()  # the job's own session needs SQLite's write lock

    with caplog.at_level(logging.WARNING, logger="consult.notifications"):
        outcome = run_job(app, "enqueue_reminders", now=due)

    assert outcome.startswith("queued 1,")
    good_id, bad_id, week_id = ids
    assert f"out of range [{bad_id}]" in outcome
    db.session.expire_all()
    heartbeat = db.session.get(SchedulerHeartbeat, "enqueue_reminders")
    assert (heartbeat.last_status, heartbeat.last_error) == ("ok", "")
    reminders = [e for e in outbox() if e.dedup_key.startswith("reminder:")]
    assert [(e.recipient, e.event_id) for e in reminders] == [
        ("siti@example.my", good_id)
    ]
    assert reminders[0].dedup_key.startswith(f"reminder:{week_id}:")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"reminders of event {bad_id} skipped" in w for w in warnings)


def test_the_plan_page_of_a_bad_event_says_why_nothing_is_sent(
    client, login, organiser, make_reg_event, now
):
    event = make_reg_event()
    _plan(event, now)
    db.session.execute(update(Event).where(Event.id == event.id).values(end_at=FAR))
    db.session.commit()
    login(organiser)
    response = client.get(f"/manage/events/{event.slug}/notifications/plan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    last = now.year + 20
    assert f"outside the years the platform accepts (2000 to {last})" in html
    assert db.session.scalars(select(Event.end_at)).one() == FAR
