"""The scheduler health check watches every job in `scheduler.JOBS` on its own interval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.extensions import db
from consult.notifications.reminders import scheduler_is_stale
from consult.notifications.services import heartbeat, scheduler_health
from consult.scheduler import JOBS
from tests.clock import FIXED_NOW

SECOND = timedelta(seconds=1)


def _stale_by_job(now):
    return {health.job: health.stale for health in scheduler_health(now=now)}


def test_every_job_appears_in_the_health_check_with_its_own_allowance(app):
    for job in JOBS:
        heartbeat(job.name, now=FIXED_NOW)
    db.session.commit()

    assert set(_stale_by_job(FIXED_NOW)) == {job.name for job in JOBS}
    for job in JOBS:
        longest = 2 * app.config[job.run_setting] if job.run_setting else 0
        expected = timedelta(
            seconds=3 * app.config[job.interval_setting] + 60 + longest
        )
        assert job.allowance(app.config) == expected
        assert _stale_by_job(FIXED_NOW + expected)[job.name] is False
        assert _stale_by_job(FIXED_NOW + expected + SECOND)[job.name] is True


def test_a_stuck_survey_reminder_job_is_flagged_after_its_own_interval(app):
    app.config.update(SCHEDULER_REMINDER_INTERVAL=60)
    allowance = timedelta(seconds=3 * 60 + 60)  # 240 s, not the 960 s of old
    for job in JOBS:
        if job.name != "enqueue_survey_reminders":
            heartbeat(job.name, now=FIXED_NOW)
    heartbeat("enqueue_survey_reminders", now=FIXED_NOW - allowance - SECOND)
    db.session.commit()

    stale = _stale_by_job(FIXED_NOW)

    assert stale.pop("enqueue_survey_reminders") is True
    assert not any(stale.values())


def test_a_job_no_longer_listed_keeps_the_old_allowance(app):
    heartbeat("retired_job", now=FIXED_NOW)
    db.session.commit()
    assert _stale_by_job(FIXED_NOW + timedelta(seconds=960))["retired_job"] is False
    assert _stale_by_job(FIXED_NOW + timedelta(seconds=961))["retired_job"] is True


@pytest.mark.parametrize(
    ("intervals", "silence"),
    [
        # Defaults: the plan page's "more than five minutes".
        ({}, timedelta(minutes=5)),
        # Every job slower than that: its most frequent job's allowance.
        (
            {
                "SCHEDULER_OUTBOX_INTERVAL": 600,
                "SCHEDULER_HEARTBEAT_INTERVAL": 600,
                "SCHEDULER_REMINDER_INTERVAL": 900,
                "SCHEDULER_EXPORT_INTERVAL": 600,
                "SCHEDULER_PLATFORM_INTERVAL": 600,
                "SCHEDULER_WEBHOOK_INTERVAL": 600,
            },
            timedelta(seconds=3 * 600 + 60),
        ),
    ],
)
def test_the_scheduler_is_stale_after_its_quickest_job_falls_silent(
    app, intervals, silence
):
    app.config.update(intervals)
    assert scheduler_is_stale(now=FIXED_NOW) is True  # no job has ever run
    heartbeat("heartbeat", now=FIXED_NOW)
    db.session.commit()

    assert scheduler_is_stale(now=FIXED_NOW + silence) is False
    assert scheduler_is_stale(now=FIXED_NOW + silence + SECOND) is True
