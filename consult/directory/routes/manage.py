"""Organiser pages: reports on directory profiles, and removing a profile."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.directory import bp
from consult.directory.forms import ButtonForm
from consult.directory.services.safety import (
    dismiss_report,
    event_reports,
    remove_from_directory,
)
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.registration.routes.manage_helpers import require_valid
from consult.timeutil import now_utc

REPORTS = "/manage/events/<slug>/directory/reports"


@bp.get(REPORTS)
@login_required
def manage_reports(slug: str):
    event = managed_event_or_404(slug)
    return render_template(
        "directory/manage_reports.html",
        event=event,
        reports=event_reports(event),
        button_form=ButtonForm(),
    )


@bp.post(REPORTS + "/<int:report_id>/remove")
@login_required
def manage_remove(slug: str, report_id: int):
    event = managed_event_or_404(slug)
    require_valid(ButtonForm())
    if outcome := attempt_action(
        lambda: remove_from_directory(event, report_id, current_user, now=now_utc()),
        passthrough=(404,),
    ):
        db.session.commit()
        flash(
            _("%(name)s is removed from the directory.", name=outcome.value.full_name),
            "success",
        )
    return redirect(url_for(".manage_reports", slug=slug))


@bp.post(REPORTS + "/<int:report_id>/dismiss")
@login_required
def manage_dismiss(slug: str, report_id: int):
    event = managed_event_or_404(slug)
    require_valid(ButtonForm())
    if attempt_action(
        lambda: dismiss_report(event, report_id, now=now_utc()), passthrough=(404,)
    ):
        db.session.commit()
        flash(_("The report is closed."), "success")
    return redirect(url_for(".manage_reports", slug=slug))
