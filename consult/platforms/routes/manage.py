"""Organiser pages: link the event to a platform, watch each registrant's
sync, retry, and import the attendance the platform reports."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.errors import ValidationFailed
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.numbers import parse_int
from consult.platforms import bp
from consult.platforms.adapters.base import Person
from consult.platforms.adapters.jitsi import JitsiAdapter
from consult.platforms.forms import LinkForm
from consult.platforms.services.linking import (
    link_event,
    link_of,
    retry_link,
    unlink_event,
    zoom_configured,
)
from consult.platforms.services.queries import sync_counts, sync_rows
from consult.platforms.services.reports import CSV_ZONE, request_report
from consult.platforms.services.sync import retry_failed
from consult.registration.attendance.parsers import parse_report
from consult.registration.attendance.pending import PendingReport, sign_pending
from consult.registration.attendance.services import preview_import
from consult.registration.forms_attendance import AttendanceApplyForm
from consult.timeutil import now_utc


def _back(event):
    return redirect(url_for("platforms.manage", slug=event.slug))


@bp.route("/manage/events/<slug>/platform", methods=["GET", "POST"])
@login_required
def manage(slug: str):
    event = managed_event_or_404(slug)
    link = link_of(event)
    form = LinkForm()
    if link is None and form.validate_on_submit():
        outcome = attempt(
            form,
            lambda: link_event(
                event,
                current_user,
                form.to_data(),
                now=now_utc(),
                config=current_app.config,
            ),
        )
        if outcome:
            db.session.commit()
            flash(_("The event is linked to the platform."), "success")
            return _back(event)
    status = 422 if form.is_submitted() and link is None else 200
    return render_template(
        "platforms/manage.html",
        event=event,
        link=link,
        form=form,
        zoom_ready=zoom_configured(current_app.config),
        counts=sync_counts(event) if link else {},
        rows=sync_rows(event) if link else [],
        moderator_link=_moderator_link(event, link),
        now=now_utc(),
    ), status


def _moderator_link(event, link) -> str:
    """The organiser's own host link to a Jitsi room with token authentication."""
    if link is None or link.platform != "jitsi" or not link.personal_links:
        return ""
    adapter = JitsiAdapter(current_app.config)
    if not adapter.personal_links:
        return ""
    margin = int(current_app.config["JITSI_TOKEN_MARGIN_MINUTES"])
    person = Person(current_user.name or current_user.email, current_user.email, True)
    token = adapter.token(
        link.meeting_id, person, ends_at=event.end_at + timedelta(minutes=margin)
    )
    return f"{link.shared_url}?jwt={token}"


@bp.post("/manage/events/<slug>/platform/unlink")
@login_required
def unlink(slug: str):
    event = managed_event_or_404(slug)
    if attempt_action(lambda: unlink_event(event, now=now_utc())):
        db.session.commit()
        flash(_("The event is no longer linked to a platform."), "success")
    return _back(event)


@bp.post("/manage/events/<slug>/platform/retry-meeting")
@login_required
def retry_meeting(slug: str):
    event = managed_event_or_404(slug)
    if attempt_action(lambda: retry_link(event, now=now_utc())):
        db.session.commit()
        flash(_("The meeting will be tried again in a moment."), "success")
    return _back(event)


@bp.post("/manage/events/<slug>/platform/retry")
@login_required
def retry(slug: str):
    event = managed_event_or_404(slug)
    row_id = parse_int(request.form.get("row", ""))
    outcome = attempt_action(lambda: retry_failed(event, now=now_utc(), row_id=row_id))
    if outcome:
        db.session.commit()
        flash(
            ngettext(
                "%(num)d registrant will be tried again in a moment.",
                "%(num)d registrants will be tried again in a moment.",
                outcome.value,
            ),
            "success",
        )
    return _back(event)


@bp.post("/manage/events/<slug>/platform/report")
@login_required
def fetch_report(slug: str):
    event = managed_event_or_404(slug)
    if attempt_action(lambda: request_report(event, now=now_utc())):
        db.session.commit()
        flash(_("The participants report will be fetched in a moment."), "success")
    return _back(event)


@bp.get("/manage/events/<slug>/platform/report/preview")
@login_required
def report_preview(slug: str):
    """The fetched report in the attendance import's own preview and Apply."""
    event = managed_event_or_404(slug)
    link = link_of(event)
    if link is None or link.report_state != "ready" or not link.report_csv:
        flash(_("No participants report has been fetched yet."), "error")
        return _back(event)
    threshold = event.attendance_threshold_minutes
    pending = PendingReport(
        event.id,
        f"zoom-{link.meeting_id}-participants.csv",
        CSV_ZONE,
        threshold,
        link.report_csv,
    )
    try:
        report = parse_report(pending.data, filename=pending.filename, zone=CSV_ZONE)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return _back(event)
    preview = preview_import(event, report, threshold_minutes=threshold)
    return render_template(
        "registration/manage/attendance_preview.html",
        event=event,
        preview=preview,
        apply_form=AttendanceApplyForm(token=sign_pending(pending)),
        link_errors={},
        link_problems=[],
    )
