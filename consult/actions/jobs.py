"""The action plans' scheduled job (listed in ``consult.scheduler.JOBS``).

It takes ``now``, returns a one-line report and commits its own work, like
every job.
"""

from __future__ import annotations

from datetime import datetime

from consult.actions.services.reminders import enqueue_milestone_reminders
from consult.extensions import db


def enqueue_milestone_reminders_job(*, now: datetime) -> str:
    """Queue the reminders and overdue notices due to action owners."""
    report = enqueue_milestone_reminders(now=now)
    db.session.commit()
    return str(report)
