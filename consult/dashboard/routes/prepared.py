"""Files the scheduler prepares: ask for one, watch its progress, download it.

The report's PDF and a large event's workbook are made by the scheduler
(``consult.dashboard.jobs``). Their usual links (``report.pdf``,
``export.xlsx``) serve the kept file when the event's data has not changed
since it was made, send the organiser to the progress of one being made, or
offer to prepare it.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.dashboard import bp
from consult.dashboard.forms import PrepareForm
from consult.dashboard.services import export_jobs
from consult.dashboard.services.export_files import file_name
from consult.database import set_write_intent
from consult.downloads import logged_download, record_download
from consult.errors import NotFound
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.languages import LANGUAGE_NAMES
from consult.storage.models import StoredFile
from consult.storage.web import download_response
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/files"


def offer_or_serve(event, kind: str, params: str):
    """The kept file, the progress of the one being made, or the offer to make it."""
    job = export_jobs.current_job(event, kind, params)
    if job is not None and job.status == "done":
        return _serve(event, job)
    if job is not None and job.status in ("queued", "running"):
        return redirect(url_for("dashboard.prepared", slug=event.slug, job_id=job.id))
    return _page(event, kind, params, job, current=False)


def _page(event, kind: str, params: str, job, *, current: bool):
    return render_template(
        "dashboard/prepared.html",
        event=event,
        kind=kind,
        job=job,
        current=current,
        form=PrepareForm(lang=params),
        step_labels=export_jobs.STEP_LABELS,
        language_names=LANGUAGE_NAMES,
    )


@bp.post(BASE + "/<kind>", endpoint="prepare")
@login_required
def prepare(slug: str, kind: str):
    event = managed_event_or_404(slug)
    form = PrepareForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt_action(
        lambda: export_jobs.request_export(
            event, current_user, kind=kind, params=form.lang.data or "", now=now_utc()
        ),
        passthrough=(404,),
    )
    if not outcome:
        return redirect(url_for("dashboard.event", slug=slug))
    job_id = outcome.value.id
    db.session.commit()
    return redirect(url_for("dashboard.prepared", slug=slug, job_id=job_id))


def _job_or_404(event, job_id: int):
    try:
        return export_jobs.job_of_event(event, job_id)
    except NotFound:
        abort(404)


@bp.get(BASE + "/<int:job_id>", endpoint="prepared")
@login_required
def prepared(slug: str, job_id: int):
    event = managed_event_or_404(slug)
    job = _job_or_404(event, job_id)
    current = export_jobs.is_current(job)
    return _page(event, job.kind, job.params, job, current=current)


@bp.get(BASE + "/<int:job_id>/status", endpoint="prepared_status")
@login_required
def prepared_status(slug: str, job_id: int):
    event = managed_event_or_404(slug)
    job = _job_or_404(event, job_id)
    return jsonify(
        status=job.status,
        progress=job.progress,
        step=job.step,
        step_text=str(export_jobs.STEP_LABELS.get(job.step, "")),
        current=export_jobs.is_current(job),
    )


@bp.get(BASE + "/<int:job_id>/download", endpoint="prepared_download")
@logged_download
@login_required
def prepared_download(slug: str, job_id: int):
    event = managed_event_or_404(slug)
    _job_or_404(event, job_id)
    job = export_jobs.ready_file(event, job_id)
    if job is None:
        flash(_("This file is not ready, or the event's data changed since."), "info")
        return redirect(url_for("dashboard.prepared", slug=slug, job_id=job_id))
    return _serve(event, job)


def _serve(event, job):
    """Stream the kept file; a workbook's download is logged as a direct one is."""
    stored = db.session.get(StoredFile, job.file_id)
    name = file_name(event, job.kind, job.params)
    if job.kind == "workbook":  # its views declared the write (logged_download)
        record_download(event, kind="workbook", fmt="xlsx", rows=job.row_count)
    # The file streams in read transactions: no write lock while a slow
    # client reads it.
    set_write_intent(False)
    return download_response(stored, download_name=name)
