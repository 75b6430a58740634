"""The scheduler's jobs: `JOBS` is the one list of what runs and how often.

Each job lives in its area's ``jobs.py``, takes ``now``, returns a short
report and commits its own work. This table names them by dotted path and
imports them only when one runs, so the health check (on web pages) can read
the same list without importing the areas' jobs, APScheduler or the leader
lock: the process that runs the jobs is in ``runner``, its lock in ``lock``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Job:
    """One scheduled job: its id, where its function lives, its interval setting.

    ``name`` is both the APScheduler job id and the job's heartbeat row.
    """

    name: str
    target: str  # "package.module:function", resolved when the job runs
    interval_setting: str
    # A job whose one run may last longer than its interval: the setting
    # bounding a run, added twice to its allowance.
    run_setting: str | None = None

    @property
    def function(self) -> Callable[..., str]:
        module, _, attribute = self.target.partition(":")
        return getattr(import_module(module), attribute)

    def interval(self, config: Mapping[str, Any]) -> int:
        """Seconds between runs (at least one)."""
        return max(int(config[self.interval_setting]), 1)

    def allowance(self, config: Mapping[str, Any]) -> timedelta:
        """How long the job may stay silent before the health check calls it stale.

        Three missed runs plus a minute, so a slow run or a busy machine is not
        reported as a stopped scheduler.
        """
        longest = 2 * int(config[self.run_setting]) if self.run_setting else 0
        return timedelta(seconds=3 * self.interval(config) + 60 + longest)


# Reminders come before delivery, so one `run-jobs --once` queues then sends.
JOBS: tuple[Job, ...] = (
    Job(
        "enqueue_reminders",
        "consult.notifications.jobs:enqueue_reminders_job",
        "SCHEDULER_REMINDER_INTERVAL",
    ),
    Job(
        "enqueue_survey_reminders",
        "consult.surveys.jobs:enqueue_survey_reminders_job",
        "SCHEDULER_REMINDER_INTERVAL",
    ),
    Job(
        "enqueue_milestone_reminders",
        "consult.actions.jobs:enqueue_milestone_reminders_job",
        "SCHEDULER_REMINDER_INTERVAL",
    ),
    # Before delivery: the email carrying a personal link leaves in the same run.
    Job(
        "sync_platforms",
        "consult.platforms.jobs:sync_platforms_job",
        "SCHEDULER_PLATFORM_INTERVAL",
    ),
    Job(
        "deliver_outbox",
        "consult.notifications.jobs:deliver_outbox_job",
        "SCHEDULER_OUTBOX_INTERVAL",
    ),
    Job(
        "deliver_webhooks",
        "consult.webhooks.jobs:deliver_webhooks_job",
        "SCHEDULER_WEBHOOK_INTERVAL",
        # A run may wait WEBHOOK_TIMEOUT_SECONDS on each of its claimed rows.
        run_setting="WEBHOOK_LEASE_SECONDS",
    ),
    Job(
        "prepare_exports",
        "consult.dashboard.jobs:prepare_exports_job",
        "SCHEDULER_EXPORT_INTERVAL",
        # Files are started for EXPORT_JOB_RUN_SECONDS; the last may take as long.
        run_setting="EXPORT_JOB_RUN_SECONDS",
    ),
    Job(
        "heartbeat",
        "consult.notifications.jobs:heartbeat_job",
        "SCHEDULER_HEARTBEAT_INTERVAL",
    ),
)


def job_named(name: str) -> Job:
    """The job with this id; KeyError for an unknown name."""
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)
