"""The real `consult scheduler`, killed while it prints a report, and started again.

The service-level proof (a lease that runs out puts the job back, the old run
can neither report progress nor finish) is in tests/dashboard/
test_export_jobs.py. Here the process itself dies with SIGKILL in the middle
of the PDF: nothing half-made is kept, the next scheduler makes the file once
its lease has run out, and exactly one file is stored.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.dashboard.models import ExportJob
from consult.dashboard.services.export_jobs import request_export
from consult.database import write_intent
from consult.extensions import db
from consult.storage.models import StoredFile
from consult.storage.services import read_file
from consult.timeutil import now_utc
from tests.dashboard.conftest import dash_event, require_pdf  # noqa: F401
from tests.test_scheduler import _wait_for

from .test_scheduler_faults import scheduler  # noqa: F401

LEASE = 6


def _job(job_id: int) -> tuple:
    """The job's row and the number of stored files, in a short read."""
    with write_intent(False):
        row = db.session.execute(
            select(
                ExportJob.status,
                ExportJob.progress,
                ExportJob.attempts,
                ExportJob.file_id,
            ).where(ExportJob.id == job_id)
        ).one()
        files = db.session.scalar(select(func.count(StoredFile.id)))
        db.session.rollback()
    return (*row, files)


def _printing(job_id: int):
    def started() -> bool:
        status, progress, *_rest = _job(job_id)
        return status == "running" and progress > 0

    return started


@pytest.mark.slow
def test_a_scheduler_killed_while_printing_leaves_one_file_made_by_the_next(
    app,
    dash_event,  # noqa: F811
    organiser,
    scheduler,  # noqa: F811
):
    require_pdf()
    job_id = request_export(
        dash_event, organiser, kind="report_pdf", params="en", now=now_utc()
    ).id
    db.session.commit()
    settings = {"SCHEDULER_EXPORT_INTERVAL": 1, "EXPORT_JOB_LEASE_SECONDS": LEASE}

    first = scheduler(**settings)
    _wait_for(_printing(job_id), 60, "the first run's progress")
    first.stop()  # SIGKILL, mid-file
    status, _progress, attempts, file_id, files = _job(job_id)
    assert (status, attempts, file_id, files) == ("running", 1, None, 0), (
        first.output()[-2000:]
    )

    second = scheduler(**settings)
    _wait_for(lambda: _job(job_id)[0] == "done", 120, "the file from the next run")
    status, progress, attempts, file_id, files = _job(job_id)
    assert (status, progress, attempts, files) == ("done", 100, 2, 1), second.output()[
        -2000:
    ]
    assert read_file(file_id).startswith(b"%PDF")
    db.session.rollback()
