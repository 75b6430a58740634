"""The notification area's scheduled jobs (listed in ``consult.scheduler.JOBS``).

Each takes ``now``, returns a one-line report for the log and for
``run-jobs --once``, and commits its own work; the runner records the
heartbeat and rolls back a job that raised.
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import current_app

from consult.notifications.delivery import drain_outbox
from consult.notifications.reminders import enqueue_due_reminders


def enqueue_reminders_job(*, now: datetime) -> str:
    """Queue the reminders and follow-ups that are due (plans x registrations).

    ``enqueue_due_reminders`` commits in small batches itself.
    """
    return str(enqueue_due_reminders(now=now))


def deliver_outbox_job(*, now: datetime) -> str:
    """Send due emails from the outbox (``deliver_outbox`` commits each send).

    Batch after batch while whole batches are due, until the job's interval is
    nearly over: the next run carries on, so a large round leaves as fast as
    the mail server takes it, and a run never overlaps the next one.
    """
    interval = current_app.config["SCHEDULER_OUTBOX_INTERVAL"]
    return str(drain_outbox(now=now, seconds=max(interval - 1, 1)))


def heartbeat_job(*, now: datetime) -> str:
    """A sign of life, so the outbox page can warn when the scheduler stops.

    Nothing to commit: the runner writes every job's heartbeat row, this one's
    included; its frequent row is what says "the scheduler is alive".
    """
    return f"alive (pid {os.getpid()})"
