"""The dashboard's scheduled job: preparing the files organisers asked for.

Listed in ``consult.scheduler.JOBS``. Files are made one at a time; a run
starts none after ``EXPORT_JOB_RUN_SECONDS``, so the other jobs (which run
beside it in the scheduler's threads) and the next run are never kept waiting
for long, and each file is committed on its own.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import datetime, timedelta

from flask import current_app

from consult.dashboard.services import export_jobs
from consult.dashboard.services.export_files import build
from consult.database import write_intent
from consult.events.models import Event
from consult.extensions import db
from consult.storage.services import measure, save_file

log = logging.getLogger("consult.dashboard.jobs")


def prepare_exports_job(*, now: datetime) -> str:
    """Make the queued files (report PDFs, workbooks); drop the superseded ones."""
    requeued = export_jobs.requeue_expired(now=now)
    removed = export_jobs.remove_superseded()
    db.session.commit()
    deadline = time.monotonic() + current_app.config["EXPORT_JOB_RUN_SECONDS"]
    made = failed = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        claim = export_jobs.claim_next(now=now)
        db.session.commit()
        if claim is None:
            break
        # The clock moves on while files are made: leases and finishing
        # times count from the run's ``now`` plus the time spent so far.
        if _make(claim, start=now, since=started):
            made += 1
        else:
            failed += 1
    return f"made {made}, failed {failed}, requeued {requeued}, removed {removed}"


def _make(claim: export_jobs.Claim, *, start: datetime, since: float) -> bool:
    def clock() -> datetime:
        return start + timedelta(seconds=time.monotonic() - since)

    def progress(percent: int, step: str) -> None:
        export_jobs.report_progress(claim, progress=percent, step=step, now=clock())

    try:
        # Reading only: on SQLite the build must not hold the write lock.
        with write_intent(False):
            event = db.session.get(Event, claim.event_id)
            built = build(event, claim.kind, claim.params, now=start, progress=progress)
        db.session.rollback()
        return _store(claim, built, now=clock())
    except export_jobs.JobLost:
        db.session.rollback()
        log.warning("export job %s: taken over by another run", claim.job_id)
        return False
    except Exception as exc:
        db.session.rollback()
        log.exception("export job %s failed", claim.job_id)
        export_jobs.fail(claim, error=repr(exc), now=clock())
        db.session.commit()
        return False


def _store(claim: export_jobs.Claim, built, *, now: datetime) -> bool:
    """Store the file and mark the job done in one transaction, or neither."""
    stream = io.BytesIO(built.data)
    measured = measure(stream, limit=len(built.data))
    stored = save_file(
        stream, content_type=built.content_type, measured=measured, now=now
    )
    if not export_jobs.finish(claim, file_id=stored.id, rows=built.rows, now=now):
        db.session.rollback()
        log.warning("export job %s: lost its lease; its file is dropped", claim.job_id)
        return False
    db.session.commit()
    return True
