"""Files of an event's data prepared by the scheduler: requests, claims, results.

The report's PDF and a large event's full workbook take seconds and memory to
make, so a web worker never makes them: the organiser's request is an
``ExportJob`` row, the scheduler's ``prepare_exports_job`` claims it with a
lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, like the outbox), makes the
file while reporting its progress on the row, and stores it in the same
transaction that marks the row done. The row is unique per event, kind,
parameters and version of the event's data (``consult.data_versions``): a
second request joins it, a later download is served from it while the data is
unchanged, and a changed event gets a new row, never the old file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from consult.dashboard.models import EXPORT_JOB_KINDS, ExportJob
from consult.data_versions import data_version
from consult.errors import NotFound, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.languages import LANGUAGE_NAMES
from consult.registration.models import Registration
from consult.storage.services import delete_file

# What the status page says a job is doing (the row keeps the key).
STEP_LABELS = {
    "": _l("Waiting for its turn"),
    "figures": _l("Counting the figures"),
    "layout": _l("Laying out the report"),
    "pages": _l("Making the pages"),
    "writing": _l("Writing the file"),
    "registrants": _l("Registrants"),
    "inputs": _l("Inputs"),
    "priorities": _l("Priorities"),
    "surveys": _l("Survey responses"),
    "live": _l("Live session"),
    "done": _l("Ready"),
}
ERROR_MAX = 500


class JobLost(RuntimeError):
    """The job's lease ran out and another run took it over: stop, keep nothing."""


@dataclass(frozen=True)
class Claim:
    """A job claimed by this run: its id and the attempt that owns it."""

    job_id: int
    event_id: int
    kind: str
    params: str
    attempt: int


def needs_job(event: Event, kind: str) -> bool:
    """Whether this file is prepared by the scheduler rather than in the request.

    The report's PDF always (printing takes seconds whatever the event's
    size); the workbook from ``EXPORT_JOB_MIN_REGISTRATIONS`` registrations.
    """
    if kind == "report_pdf":
        return True
    threshold = current_app.config["EXPORT_JOB_MIN_REGISTRATIONS"]
    count = db.session.scalar(
        select(func.count(Registration.id)).where(Registration.event_id == event.id)
    )
    return count >= threshold


def _checked_params(kind: str, params: str) -> str:
    if kind not in EXPORT_JOB_KINDS:
        raise NotFound(_l("No such file."))
    if kind == "report_pdf" and params not in LANGUAGE_NAMES:
        raise ValidationFailed(_l("Choose one of the report's languages."))
    return params if kind == "report_pdf" else ""


def current_job(event: Event, kind: str, params: str) -> ExportJob | None:
    """The job for the event's data as it is now, if one was requested."""
    params = _checked_params(kind, params)
    return db.session.scalar(
        select(ExportJob).where(
            ExportJob.event_id == event.id,
            ExportJob.kind == kind,
            ExportJob.params == params,
            ExportJob.data_version == data_version(event.id),
        )
    )


def request_export(
    event: Event, actor, *, kind: str, params: str, now: datetime
) -> ExportJob:
    """The job making this file of the event's current data: joined or queued.

    A failed job is queued again (the organiser asked once more); a queued,
    running or done one is returned as it is, so two requests never make two
    files. Flushes.
    """
    require_manager(actor, event)
    params = _checked_params(kind, params)
    job = current_job(event, kind, params)
    if job is None:
        job = ExportJob(
            event_id=event.id,
            kind=kind,
            params=params,
            data_version=data_version(event.id),
            requested_by_id=actor.id,
            created_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except IntegrityError:  # another request queued it meanwhile
            job = current_job(event, kind, params)
    elif job.status == "failed":
        job.status, job.progress, job.step, job.error = "queued", 0, "", ""
        job.attempts, job.lease_until, job.requested_by_id = 0, None, actor.id
    db.session.flush()
    return job


def job_of_event(event: Event, job_id: int) -> ExportJob:
    """The event's job with this id; NotFound for another event's or none."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.event_id != event.id:
        raise NotFound(_l("No such file."))
    return job


def is_current(job: ExportJob) -> bool:
    """Whether the job was made from the event's data as it is now."""
    return job.event_id is not None and job.data_version == data_version(job.event_id)


def ready_file(event: Event, job_id: int) -> ExportJob | None:
    """The done job whose file may be served now; None when not (yet) or stale."""
    job = job_of_event(event, job_id)
    if job.status != "done" or job.file_id is None or not is_current(job):
        return None
    return job


def requeue_expired(*, now: datetime) -> int:
    """Put back in the queue the jobs whose run stopped (lease over); flushes.

    Past ``EXPORT_JOB_MAX_ATTEMPTS`` a job fails instead: a file that crashes
    its maker every time must not take the scheduler down every interval.
    """
    limit = current_app.config["EXPORT_JOB_MAX_ATTEMPTS"]
    expired = (ExportJob.status == "running", ExportJob.lease_until < now)
    failed = db.session.execute(
        update(ExportJob)
        .where(*expired, ExportJob.attempts >= limit)
        .values(
            status="failed",
            finished_at=now,
            lease_until=None,
            error="stopped before it finished, too many times",
        )
    ).rowcount
    requeued = db.session.execute(
        update(ExportJob)
        .where(*expired)
        .values(status="queued", progress=0, step="", lease_until=None)
    ).rowcount
    db.session.flush()
    return failed + requeued


def claim_next(*, now: datetime) -> Claim | None:
    """Take the oldest queued job with a lease; flushes (the caller commits)."""
    lease = timedelta(seconds=current_app.config["EXPORT_JOB_LEASE_SECONDS"])
    job = db.session.scalar(
        select(ExportJob)
        .where(ExportJob.status == "queued", ExportJob.event_id.is_not(None))
        .order_by(ExportJob.created_at, ExportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is None:
        return None
    job.status, job.progress, job.step = "running", 0, ""
    job.attempts += 1
    job.lease_until = now + lease
    job.started_at = now
    db.session.flush()
    return Claim(job.id, job.event_id, job.kind, job.params, job.attempts)


def _owned(claim: Claim):
    return (
        ExportJob.id == claim.job_id,
        ExportJob.status == "running",
        ExportJob.attempts == claim.attempt,
    )


def report_progress(claim: Claim, *, progress: int, step: str, now: datetime):
    """Record how far the job is and renew its lease; JobLost if it is not ours.

    Runs on a connection of its own, in a short transaction, so the page
    polling the row sees it while the file is still being made.
    """
    lease = timedelta(seconds=current_app.config["EXPORT_JOB_LEASE_SECONDS"])
    with db.engine.begin() as connection:
        changed = connection.execute(
            update(ExportJob)
            .where(*_owned(claim))
            .values(
                progress=max(0, min(progress, 99)), step=step, lease_until=now + lease
            )
        ).rowcount
    if not changed:
        raise JobLost(f"export job {claim.job_id} attempt {claim.attempt}")


def finish(claim: Claim, *, file_id: int, rows: int, now: datetime) -> bool:
    """Mark the job done with its stored file, if this run still owns it.

    False when the lease was lost meanwhile: the caller rolls back, and the
    file it stored goes with the transaction (never two files). Flushes.
    """
    changed = db.session.execute(
        update(ExportJob)
        .where(*_owned(claim))
        .values(
            status="done",
            progress=100,
            step="done",
            file_id=file_id,
            row_count=rows,
            lease_until=None,
            finished_at=now,
        )
    ).rowcount
    db.session.flush()
    return bool(changed)


def fail(claim: Claim, *, error: str, now: datetime) -> None:
    """Record that the job could not make its file (shown to the organiser)."""
    db.session.execute(
        update(ExportJob)
        .where(*_owned(claim))
        .values(
            status="failed", error=error[:ERROR_MAX], lease_until=None, finished_at=now
        )  # fmt: skip
    )
    db.session.flush()


def remove_superseded() -> int:
    """Delete the jobs (and files) no download can use any more; flushes.

    A done or failed job of data that has changed since, or of a deleted
    event: its file would never be served again.
    """
    removed = 0
    jobs = db.session.scalars(
        select(ExportJob).where(ExportJob.status.in_(("done", "failed")))
    ).all()
    for job in jobs:
        if job.event_id is not None and is_current(job):
            continue
        file_id = job.file_id
        db.session.delete(job)
        db.session.flush()
        delete_file(file_id)
        removed += 1
    return removed
