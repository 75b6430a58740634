"""Organiser pages: upload a Zoom or Teams report, preview the matches, apply."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.errors import ValidationFailed
from consult.events.access import managed_event_or_404
from consult.extensions import csrf, db
from consult.forms import FormProblem
from consult.registration import bp
from consult.registration.attendance.parsers import parse_report
from consult.registration.attendance.pending import (
    FORM_FIELD_LIMIT,
    load_pending,
    sign_pending,
)
from consult.registration.attendance.services import (
    apply_import,
    mark_attendance_complete,
    preview_import,
    recent_imports,
)
from consult.registration.forms_attendance import (
    AttendanceApplyForm,
    AttendanceUploadForm,
    links_from,
)
from consult.timeutil import now_utc


# A report kept from a submit with other problems travels back signed in a
# hidden field, which can exceed the usual form-field limit (see Apply below):
# the form checks its own CSRF token.
@bp.route("/manage/events/<slug>/attendance", methods=["GET", "POST"])
@csrf.exempt
@login_required
def attendance_import(slug: str):
    event = managed_event_or_404(slug)
    request.max_form_memory_size = FORM_FIELD_LIMIT
    form = AttendanceUploadForm.for_event(event)
    if form.is_submitted():
        # Every field is checked, and the file read, in the same pass.
        valid = form.validate()
        chosen = form.chosen_report(event)
        if valid and chosen is not None:
            pending, report = chosen
            preview = preview_import(
                event, report, threshold_minutes=pending.threshold_minutes
            )
            return _preview_page(event, preview, sign_pending(pending))
        if chosen is not None:
            form.keep(chosen[0])
    status = 422 if form.is_submitted() else 200
    return render_template(
        "registration/manage/attendance.html",
        event=event,
        form=form,
        imports=recent_imports(event),
        now=now_utc(),
    ), status


@bp.post("/manage/events/<slug>/attendance/complete")
@login_required
def attendance_complete(slug: str):
    """The organiser declares the attendance complete: follow-ups may go out."""
    event = managed_event_or_404(slug)
    outcome = attempt_action(
        lambda: mark_attendance_complete(event, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(
            _("Attendance is marked complete: follow-ups will go out as planned."),
            "success",
        )
    return redirect(url_for("registration.attendance_import", slug=event.slug))


# The signed report can exceed the usual form-field limit, which must be
# raised before anything reads the body; the global CSRF hook reads it first,
# so it skips this view and the form checks its own CSRF token instead.
@bp.post("/manage/events/<slug>/attendance/apply")
@csrf.exempt
@login_required
def attendance_apply(slug: str):
    event = managed_event_or_404(slug)
    request.max_form_memory_size = FORM_FIELD_LIMIT
    form = AttendanceApplyForm()
    back = redirect(url_for("registration.attendance_import", slug=event.slug))
    if not form.validate_on_submit():
        flash(_("Your form expired. Please upload the report again."), "error")
        return back
    try:
        pending = load_pending(form.token.data, event_id=event.id)
        report = parse_report(
            pending.data, filename=pending.filename, zone=pending.zone
        )
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return back
    threshold = pending.threshold_minutes
    try:
        links = links_from(request.form, len(report.people))
        if "recheck" in request.form:
            # The organiser's links shown as they would be applied.
            preview = preview_import(
                event, report, threshold_minutes=threshold, links=links
            )
            return _preview_page(event, preview, form.token.data)
        record = apply_import(
            event,
            current_user,
            report,
            threshold_minutes=threshold,
            now=now_utc(),
            filename=pending.filename,
            links=links,
        )
    except ValidationFailed as exc:
        # A link to someone no longer confirmed: the preview again, without
        # the links, the message on each such row and in the summary.
        db.session.rollback()
        preview = preview_import(event, report, threshold_minutes=threshold)
        errors = {name: message for name, message in exc.problems if name}
        return _preview_page(event, preview, form.token.data, errors, status=422)
    db.session.commit()
    flash(
        ngettext(
            "Attendance imported from %(file)s: %(num)d registrant matched.",
            "Attendance imported from %(file)s: %(num)d registrants matched.",
            record.matched,
            file=record.filename,
        ),
        "success",
    )
    return back


def _preview_page(event, preview, token: str, errors=None, status: int = 200):
    """The preview, its Apply form carrying the signed report; a row refused
    is marked on its row and listed in the error summary, linked to it."""
    errors = errors or {}
    people = preview.report.people
    problems = [
        FormProblem(
            f"link-{index}",
            _("Registrant who is %(name)s", name=person.name),
            (errors[f"link-{index}"],),
        )
        for index, person in enumerate(people)
        if f"link-{index}" in errors
    ]
    return render_template(
        "registration/manage/attendance_preview.html",
        event=event,
        preview=preview,
        apply_form=AttendanceApplyForm(token=token),
        link_errors=errors,
        link_problems=problems,
    ), status
