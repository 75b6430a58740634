"""The survey area's scheduled job (listed in ``consult.scheduler.JOBS``).

It takes ``now``, returns a one-line report and commits its own work, like
every job.
"""

from __future__ import annotations

from datetime import datetime

from consult.extensions import db
from consult.surveys.services.reminders import enqueue_due_survey_reminders


def enqueue_survey_reminders_job(*, now: datetime) -> str:
    """Queue the automatic survey reminders to people who have not answered.

    The service only flushes, like every service, so the job is the
    unit-of-work edge that commits.
    """
    queued = enqueue_due_survey_reminders(now)
    db.session.commit()
    return f"queued {queued} survey reminders"
