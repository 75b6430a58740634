"""Privacy notices: an event's public notice (any version), its organisers'
editing page, and the site's own notice for pages outside any event."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import submit
from consult.events import bp
from consult.events.access import managed_event_or_404, visible_event_or_404
from consult.events.forms import PrivacyNoticeForm
from consult.events.services.privacy import (
    check_notice,
    current_notice,
    notice_of,
    notice_versions,
    save_notice,
)
from consult.extensions import db
from consult.forms import render_form
from consult.numbers import query_int
from consult.timeutil import now_utc


@bp.get("/privacy")
def site_privacy():
    return render_template("events/privacy_site.html")


@bp.get("/events/<slug>/privacy")
def privacy(slug: str):
    event = visible_event_or_404(slug)
    current = current_notice(event)
    number = query_int("version")
    notice = current if number is None else notice_of(event, number)
    if notice is None:
        abort(404)
    return render_template(
        "events/privacy.html",
        event=event,
        notice=notice,
        current=current,
        versions=notice_versions(event),
    )


@bp.route("/manage/events/<slug>/privacy-notice", methods=["GET", "POST"])
@login_required
def privacy_edit(slug: str):
    event = managed_event_or_404(slug)
    current = current_notice(event)
    form = PrivacyNoticeForm(data={"text_md": current.text_md})
    if outcome := submit(
        form,
        lambda: save_notice(event, current_user, form.text_md.data, now=now_utc()),
        check=lambda: check_notice(form.text_md.data),
    ):
        db.session.commit()
        if outcome.value is None:
            flash(_("The notice is unchanged: no new version."), "info")
        else:
            flash(
                _(
                    "Privacy notice saved as version %(n)d. New consents "
                    "record this version.",
                    n=outcome.value.number,
                ),
                "success",
            )
        return redirect(url_for("events.privacy_edit", slug=slug))
    return render_form(
        "events/manage/privacy.html",
        form,
        event=event,
        current=current,
        versions=notice_versions(event),
    )
