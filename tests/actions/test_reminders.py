"""Milestone reminders and overdue notices: due once, on the city's dates."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from consult.actions.jobs import enqueue_milestone_reminders_job
from consult.actions.models import Action, Milestone
from consult.actions.services.dates import city_today
from consult.actions.services.overdue import overdue_milestones
from consult.actions.services.reminders import REMIND_DAYS, enqueue_milestone_reminders
from consult.actions.services.tokens import owner_token
from consult.extensions import db
from consult.notifications.composers import compose
from consult.notifications.models import OutboundEmail

KL = ZoneInfo("Asia/Kuala_Lumpur")


def _reminder_keys() -> list[str]:
    return list(
        db.session.scalars(
            select(OutboundEmail.dedup_key)
            .where(OutboundEmail.dedup_key.startswith("action-milestone:"))
            .order_by(OutboundEmail.id)
        )
    )


def _kl(day, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a wall time in Kuala Lumpur."""
    return datetime.combine(day, time(hour, minute), KL).astimezone(UTC)


def _due_in(owned, days: int, now) -> Milestone:
    milestone = owned.milestone
    milestone.due_on = city_today(owned.city, now) + timedelta(days=days)
    db.session.commit()
    return milestone


def test_a_reminder_is_due_remind_days_before(owned, now):
    milestone = _due_in(owned, REMIND_DAYS + 1, now)
    enqueue_milestone_reminders_job(now=now)
    assert _reminder_keys() == []
    enqueue_milestone_reminders_job(now=now + timedelta(days=1))
    assert _reminder_keys() == [
        f"action-milestone:{milestone.id}:due:{milestone.due_on.isoformat()}"
    ]


def test_a_milestone_added_late_is_reminded_of_at_once(owned, now):
    _due_in(owned, 2, now)
    assert "queued 1 milestone reminders" in enqueue_milestone_reminders_job(now=now)


def test_twice_and_after_a_restart_each_reminder_is_queued_once(owned, now):
    due_on = _due_in(owned, 3, now).due_on
    for _ in range(2):
        enqueue_milestone_reminders_job(now=now)
    # A restart: a new session, nothing remembered but the tables.
    db.session.remove()
    enqueue_milestone_reminders_job(now=now + timedelta(hours=6))
    assert len(_reminder_keys()) == 1
    # Overdue: once too, whatever the number of runs.
    after = _kl(due_on + timedelta(days=1), 8)
    for hours in (0, 1, 30):
        db.session.remove()
        enqueue_milestone_reminders_job(now=after + timedelta(hours=hours))
    assert [k.split(":")[2] for k in _reminder_keys()] == ["due", "overdue"]


def test_overdue_at_the_city_midnight(owned, now):
    """Due on D: not overdue at 23:30 on D in Kuala Lumpur, overdue at 00:30
    on D+1 (16:30 UTC on D)."""
    milestone = _due_in(owned, 10, now)
    due = milestone.due_on
    before = _kl(due, 23, 30)
    assert before.date() == due and before.hour == 15
    assert not milestone.is_overdue(city_today(owned.city, before))
    assert overdue_milestones(owned.plan, now=before) == []
    enqueue_milestone_reminders(now=before)
    db.session.commit()
    assert [k.split(":")[2] for k in _reminder_keys()] == ["due"]

    after = _kl(due + timedelta(days=1), 0, 30)
    assert after == datetime.combine(due, time(16, 30), UTC)
    assert milestone.is_overdue(city_today(owned.city, after))
    assert overdue_milestones(owned.plan, now=after) == [milestone]
    enqueue_milestone_reminders(now=after)
    db.session.commit()
    assert [k.split(":")[2] for k in _reminder_keys()] == ["due", "overdue"]


def test_no_reminders_when_done_finished_or_ownerless(owned, now):
    _due_in(owned, 1, now)
    owned.milestone.done_on = city_today(owned.city, now)
    db.session.commit()
    enqueue_milestone_reminders_job(now=now)
    owned.milestone.done_on = None
    owned.action.status = "dropped"
    db.session.commit()
    enqueue_milestone_reminders_job(now=now)
    owned.action.status = "in_progress"
    owned.action.owner_email = ""
    db.session.commit()
    enqueue_milestone_reminders_job(now=now)
    assert _reminder_keys() == []


def test_long_past_milestones_get_no_notice(owned, now):
    _due_in(owned, -30, now)
    enqueue_milestone_reminders_job(now=now)
    assert _reminder_keys() == []
    assert overdue_milestones(owned.plan, now=now) == [owned.milestone]


def test_the_email_is_in_the_owners_language_with_their_link(owned, now, outbox):
    milestone = _due_in(owned, 3, now)
    enqueue_milestone_reminders_job(now=now)
    row = outbox()[-1]
    composed = compose(row, now=now)
    assert composed.language == "ms"
    assert "perlu disiapkan dalam 3 hari" in composed.body_text
    assert composed.subject == f"Semakin hampir: {milestone.title}"
    assert row.recipient == "siti@example.org"
    assert milestone.title in row.subject
    assert f"/actions/owner/{owner_token(owned.action)}" in row.body_text
    owned.action.owner_language = "en"
    db.session.commit()
    composed = compose(row, now=now)
    assert composed.language == "en"
    assert "is due in 3 days" in composed.body_text


def test_a_reminder_withdraws_itself_when_its_reason_went_away(owned, now, outbox):
    from consult.notifications.composers import Withdrawn

    milestone = _due_in(owned, 3, now)
    enqueue_milestone_reminders_job(now=now)
    row = outbox(compose_queued=False)[-1]
    milestone.due_on += timedelta(days=1)
    with pytest.raises(Withdrawn):
        compose(row, now=now)
    milestone.due_on -= timedelta(days=1)
    milestone.done_on = city_today(owned.city, now)
    with pytest.raises(Withdrawn):
        compose(row, now=now)
    milestone.done_on = None
    owned.action.owner_email = "new@example.org"
    with pytest.raises(Withdrawn):
        compose(row, now=now)
    owned.action.owner_email = "siti@example.org"
    db.session.delete(milestone)
    db.session.flush()
    with pytest.raises(Withdrawn):
        compose(row, now=now)


def test_concurrent_jobs_queue_each_reminder_once(app, backend, world, now):
    if backend != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    action = world.action
    action.owner_email = "owner@example.org"
    action.owner_name = "Owner"
    today = city_today(world.city, now)
    for n in range(40):
        db.session.add(
            Milestone(
                action_id=action.id,
                title=f"Step {n}",
                due_on=today + timedelta(days=n % 15 - 7),
            )
        )
    db.session.commit()
    runners = 3
    start = threading.Barrier(runners)
    errors = []

    def run():
        try:
            with app.app_context():
                start.wait(10)
                enqueue_milestone_reminders_job(now=now)
                db.session.remove()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    db.session.expire_all()
    keys = _reminder_keys()
    assert not [k for k, n in Counter(keys).items() if n > 1]
    # Due within 7 days (today included): 8 of 15 offsets; overdue 1-7 days: 7.
    expected = sum(1 for n in range(40) if n % 15 - 7 != -8)
    assert len(keys) == expected
    assert db.session.scalar(select(Action.id)) == action.id
