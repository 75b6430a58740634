"""The public results page of an event, and an organiser's overview of events."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from consult.auth.access import require_organiser_account
from consult.dashboard import bp
from consult.dashboard.figures import public_charts
from consult.dashboard.services.overview import organiser_overview
from consult.dashboard.services.publication import public_summary
from consult.events.access import visible_event_or_404


@bp.get("/events/<slug>/results", endpoint="public_results")
def public_results(slug: str):
    event = visible_event_or_404(slug)
    summary = public_summary(event)
    if summary is None:
        abort(404)
    return render_template(
        "dashboard/public_results.html",
        event=event,
        summary=summary,
        charts=public_charts(summary),
    )


@bp.get("/manage/overview", endpoint="overview")
@login_required
def overview():
    require_organiser_account()
    return render_template(
        "dashboard/overview.html", overview=organiser_overview(current_user)
    )
