"""Files prepared by the scheduler: one per version of the event's data, made
once, kept until the data changes, never two, never stale."""

from __future__ import annotations

import io
import secrets
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select, update

from consult.challenges.models import InputSupport
from consult.dashboard.jobs import prepare_exports_job
from consult.dashboard.models import ExportJob
from consult.dashboard.services import export_jobs
from consult.dashboard.services.report_notes import save_notes
from consult.data_versions import EventDataVersion, data_version
from consult.events.models import Event
from consult.export_log import ExportLog
from consult.extensions import db
from consult.registration.models import Registration
from consult.storage.models import StoredFile
from consult.surveys.models import SurveyAnswer
from tests.dashboard.conftest import require_pdf
from tests.effects import committed


def _rows(statement) -> list[tuple]:
    """Rows as committed (what another request would read)."""
    return [tuple(row) for row in committed().execute(statement)]


@pytest.fixture
def big_threshold(app, monkeypatch):
    """Every workbook is prepared by the scheduler (as at 50,000 registrations)."""
    monkeypatch.setitem(app.config, "EXPORT_JOB_MIN_REGISTRATIONS", 0)


def _workbook_job(event, organiser, now) -> ExportJob:
    job = export_jobs.request_export(
        event, organiser, kind="workbook", params="", now=now
    )
    db.session.commit()
    return job


def _files() -> int:
    return db.session.scalar(select(func.count(StoredFile.id)))


def _add_registration(event, now) -> None:
    person = event.test_people[0]
    db.session.execute(
        insert(Registration).values(
            event_id=event.id,
            stakeholder_type_id=person.stakeholder_type_id,
            email="late@example.org",
            full_name="Late Comer",
            status="confirmed",
            privacy_notice_version=event.privacy_notice_version,
            privacy_consented_at=now,
            timezone="UTC",
            confirmed_at=now,
            manage_nonce=secrets.token_hex(16),
            created_at=now,
            updated_at=now,
        )
    )
    db.session.commit()


def test_the_data_version_moves_with_every_kind_of_change(dash_event, organiser, now):
    versions = [data_version(dash_event.id)]

    def moved() -> bool:
        db.session.commit()
        versions.append(data_version(dash_event.id))
        return versions[-1] != versions[-2]

    _add_registration(dash_event, now)  # a Core insert, no ORM hook involved
    assert moved()
    dash_event.test_inputs[0].title = "A better title"
    assert moved()
    db.session.execute(update(SurveyAnswer).values(text_value="changed"))
    assert moved()
    db.session.execute(
        InputSupport.__table__.delete().where(
            InputSupport.input_id.in_([i.id for i in dash_event.test_inputs])
        )
    )
    assert moved()
    # The organisers' key findings are printed in the report too.
    save_notes(
        dash_event, organiser, key_findings="Collectors first.", next_steps="", now=now
    )
    assert moved()
    dash_event.title = "Renamed consultation"
    assert moved()
    versions.append(data_version(dash_event.id))
    assert versions[-1] == versions[-2]  # reading moves nothing


def test_a_second_request_joins_the_job_and_a_run_makes_one_workbook(
    dash_event, organiser, now
):
    first = _workbook_job(dash_event, organiser, now)
    second = _workbook_job(dash_event, organiser, now + timedelta(seconds=5))
    assert second.id == first.id
    assert first.status == "queued" and first.progress == 0

    report = prepare_exports_job(now=now + timedelta(seconds=10))

    assert report.startswith("made 1,")
    job = db.session.get(ExportJob, first.id)
    db.session.refresh(job)
    assert (job.status, job.progress, job.step, job.attempts) == (
        "done",
        100,
        "done",
        1,
    )
    assert _files() == 1
    stored = db.session.get(StoredFile, job.file_id)
    book = load_workbook(io.BytesIO(export_jobs_bytes(stored.id)), read_only=True)
    assert book.sheetnames[:3] == ["Registrants", "Inputs", "Priorities"]
    assert job.row_count > 14
    # A third request for unchanged data gets the kept file; nothing runs again.
    assert _workbook_job(dash_event, organiser, now).id == job.id
    assert prepare_exports_job(now=now + timedelta(seconds=20)).startswith("made 0,")


def export_jobs_bytes(file_id: int) -> bytes:
    from consult.storage.services import read_file

    return read_file(file_id)


def test_progress_is_written_as_the_file_is_made(
    dash_event, organiser, now, monkeypatch
):
    job = _workbook_job(dash_event, organiser, now)
    record = export_jobs.report_progress
    seen = []

    def watched(claim, **progress):
        record(claim, **progress)
        # What the status page reads meanwhile, on a connection of its own.
        with db.engine.connect() as connection:
            seen.append(
                tuple(
                    connection.execute(
                        select(ExportJob.progress, ExportJob.step).where(
                            ExportJob.id == job.id
                        )
                    ).one()
                )
            )

    monkeypatch.setattr(export_jobs, "report_progress", watched)
    prepare_exports_job(now=now)

    assert [step for _progress, step in seen] == [
        "registrants",
        "inputs",
        "priorities",
        "surveys",
        "live",
        "writing",
    ]
    assert [p for p, _s in seen] == sorted(p for p, _s in seen)
    assert 0 < seen[0][0] < seen[-1][0] < 100


def test_a_scheduler_stopped_midway_restarts_the_job_and_never_keeps_two_files(
    app, dash_event, organiser, now
):
    job = _workbook_job(dash_event, organiser, now)
    crashed = export_jobs.claim_next(now=now)  # the run that died
    db.session.commit()
    lease = app.config["EXPORT_JOB_LEASE_SECONDS"]

    # Within the lease the row is left alone: its run may still be going.
    assert prepare_exports_job(now=now + timedelta(seconds=5)).startswith("made 0,")
    later = now + timedelta(seconds=lease + 1)
    assert prepare_exports_job(now=later).startswith("made 1, failed 0, requeued 1")

    db.session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2)
    assert _files() == 1
    # The old run wakes up and tries to finish: refused, and its progress too.
    assert not export_jobs.finish(crashed, file_id=job.file_id, rows=1, now=later)
    db.session.rollback()
    with pytest.raises(export_jobs.JobLost):
        export_jobs.report_progress(crashed, progress=50, step="writing", now=later)
    db.session.refresh(job)
    assert (job.status, job.attempts) == ("done", 2)


def test_a_job_that_keeps_dying_fails_instead_of_running_for_ever(
    app, dash_event, organiser, now
):
    job = _workbook_job(dash_event, organiser, now)
    lease = timedelta(seconds=app.config["EXPORT_JOB_LEASE_SECONDS"] + 1)
    moment = now
    for _ in range(app.config["EXPORT_JOB_MAX_ATTEMPTS"]):
        export_jobs.requeue_expired(now=moment)
        assert export_jobs.claim_next(now=moment) is not None
        db.session.commit()
        moment += lease
    export_jobs.requeue_expired(now=moment)
    db.session.commit()
    db.session.refresh(job)
    assert job.status == "failed"
    assert "too many times" in job.error


def test_a_file_is_never_served_after_the_data_changed(
    dash_event, organiser, now, big_threshold
):
    job = _workbook_job(dash_event, organiser, now)
    prepare_exports_job(now=now)
    assert export_jobs.ready_file(dash_event, job.id) is not None

    _add_registration(dash_event, now)

    assert export_jobs.ready_file(dash_event, job.id) is None
    assert export_jobs.current_job(dash_event, "workbook", "") is None
    fresh = _workbook_job(dash_event, organiser, now)
    assert fresh.id != job.id
    prepare_exports_job(now=now + timedelta(seconds=1))
    db.session.refresh(fresh)
    book = load_workbook(io.BytesIO(export_jobs_bytes(fresh.file_id)), read_only=True)
    names = [row[1] for row in book["Registrants"].iter_rows(values_only=True)]
    assert "Late Comer" in names
    # The superseded job went with its file on that run.
    assert db.session.get(ExportJob, job.id) is None
    assert _files() == 1


def test_organiser_prepares_and_downloads_the_workbook_logged(
    dash_event, organiser, login, client, now, big_threshold
):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    offer = client.get(base + "/export.xlsx")
    assert offer.status_code == 200
    assert "Prepare the file" in offer.get_data(as_text=True)

    response = client.post(base + "/files/workbook", data={"lang": ""})
    assert response.status_code == 302
    job_id = _rows(select(ExportJob.id, ExportJob.status))[0]
    assert job_id[1] == "queued"
    job_id = job_id[0]
    assert response.headers["Location"].endswith(f"/files/{job_id}")
    # A second click joins the same job.
    client.post(base + "/files/workbook", data={"lang": ""})
    assert len(_rows(select(ExportJob.id))) == 1

    page = client.get(f"{base}/files/{job_id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="0">' in page
    assert 'http-equiv="refresh"' in page and "js/prepared.js" in page
    status = client.get(f"{base}/files/{job_id}/status").get_json()
    assert status["status"] == "queued" and status["progress"] == 0
    assert (
        client.get(base + "/export.xlsx")
        .headers["Location"]
        .endswith(f"/files/{job_id}")
    )
    early = client.get(f"{base}/files/{job_id}/download")
    assert early.status_code == 302
    assert _rows(select(ExportLog.id)) == []

    prepare_exports_job(now=now)

    assert client.get(f"{base}/files/{job_id}/status").get_json()["status"] == "done"
    assert "Download the file" in client.get(f"{base}/files/{job_id}").get_data(
        as_text=True
    )
    download = client.get(f"{base}/files/{job_id}/download")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    load_workbook(io.BytesIO(download.data), read_only=True)
    again = client.get(base + "/export.xlsx")  # the usual link: instant
    assert again.data == download.data
    logged = _rows(select(ExportLog.kind, ExportLog.format, ExportLog.row_count))
    rows = _rows(select(ExportJob.row_count))[0][0]
    assert logged == [("workbook", "xlsx", rows)] * 2


def test_a_stale_download_link_sends_back_to_prepare(
    dash_event, organiser, login, client, now, big_threshold
):
    login(organiser)
    job = _workbook_job(dash_event, organiser, now)
    prepare_exports_job(now=now)
    _add_registration(dash_event, now)
    base = f"/manage/events/{dash_event.slug}"
    response = client.get(f"{base}/files/{job.id}/download")
    assert response.status_code == 302
    page = client.get(f"{base}/files/{job.id}").get_data(as_text=True)
    assert "changed since this file was made" in page
    assert client.get(f"{base}/files/{job.id}/status").get_json()["current"] is False
    assert "Prepare the file" in client.get(base + "/export.xlsx").get_data(
        as_text=True
    )
    assert _rows(select(ExportLog.id)) == []


def test_small_workbooks_stay_immediate(dash_event, organiser, login, client):
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/export.xlsx")
    assert response.status_code == 200
    assert response.data[:2] == b"PK"
    assert _rows(select(ExportJob.id)) == []


def test_another_events_job_is_not_found(
    dash_event, organiser, other_organiser, make_reg_event, login, client, now
):
    job = _workbook_job(dash_event, organiser, now)
    other = make_reg_event(owner=other_organiser, slug="other-consultation")
    login(other_organiser)
    base = f"/manage/events/{other.slug}/files/{job.id}"
    for path in ("", "/status", "/download"):
        assert client.get(base + path).status_code == 404, path


def test_unknown_kind_or_language_is_refused_and_changes_nothing(
    dash_event, organiser, login, client
):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}/files"
    assert client.post(base + "/everything", data={"lang": ""}).status_code == 404
    response = client.post(base + "/report_pdf", data={"lang": "xx"})
    assert response.status_code == 302
    assert _rows(select(ExportJob.id)) == []


def test_the_report_pdf_is_printed_by_the_scheduler(
    dash_event, organiser, login, client, now
):
    require_pdf()
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    assert "Prepare the file" in client.get(base + "/report.pdf?lang=ko").get_data(
        as_text=True
    )
    client.post(base + "/files/report_pdf", data={"lang": "ko"})
    (job,) = _rows(select(ExportJob.id, ExportJob.params, ExportJob.kind))
    assert job[1:] == ("ko", "report_pdf")
    prepare_exports_job(now=now)
    pdf = client.get(base + "/report.pdf?lang=ko")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].endswith("report-ko.pdf")
    # The PDF's download is not an export of personal data: not logged (as before).
    assert _rows(select(ExportLog.id)) == []
    assert db.session.get(Event, dash_event.id) is not None


def test_the_data_version_moves_once_per_transaction_on_postgresql(
    dash_event, database_url
):
    """PostgreSQL bumps an event's version once per transaction however many
    of its rows change (the triggers run at the commit); SQLite per row. The
    next transaction moves it again."""

    def counter() -> int:
        return (
            committed().scalar(
                select(EventDataVersion.version).where(
                    EventDataVersion.event_id == dash_event.id
                )
            )
            or 0
        )

    inputs = dash_event.test_inputs[:3]
    assert len(inputs) == 3
    before = counter()
    for n, changed in enumerate(inputs):
        changed.title = f"Retitled {n}"
    db.session.commit()
    after_three = counter()
    postgresql = database_url.startswith("postgresql")
    if postgresql:
        assert after_three == before + 1
    else:
        assert after_three >= before + 3
    inputs[0].title = "Retitled again"
    db.session.commit()
    assert counter() == after_three + 1 if postgresql else counter() > after_three
