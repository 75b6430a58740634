"""The public results page of an event, and an organiser's overview of events."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from consult.actions.services.public_plan import city_with_public_plan
from consult.auth.access import require_organiser_account
from consult.dashboard import bp
from consult.dashboard.figures import public_charts
from consult.dashboard.services.dashboard import publication_of
from consult.dashboard.services.overview import organiser_overview
from consult.dashboard.services.publication import (
    freeze_migrated,
    needs_freezing,
    summary_of,
    version_of,
    versions_of,
)
from consult.database import set_write_intent
from consult.events.access import can_manage, visible_event_or_404
from consult.extensions import db


def freeze_if_migrated(event) -> None:
    """A publication from before versions: freeze it now, in a write
    transaction of its own (a GET's transaction only reads)."""
    if not needs_freezing(event):
        return
    event_id = event.id
    db.session.rollback()
    set_write_intent(True)
    event = db.session.get(type(event), event_id)
    if freeze_migrated(event):
        db.session.commit()
    else:
        db.session.rollback()


def _results_page(slug: str, number: int | None):
    event = visible_event_or_404(slug)
    freeze_if_migrated(event)
    event = visible_event_or_404(slug)
    public = publication_of(event) is not None
    # Taken down: the versions are kept for the event's organisers only.
    if not public and not can_manage(current_user, event):
        abort(404)
    version = version_of(event, number)
    if version is None or version.data is None:
        abort(404)
    summary = summary_of(version, public=public)
    return render_template(
        "dashboard/public_results.html",
        event=event,
        summary=summary,
        charts=public_charts(summary),
        versions=versions_of(event),
        latest=number is None,
        plan_city=city_with_public_plan(event),
    )


@bp.get("/events/<slug>/results", endpoint="public_results")
def public_results(slug: str):
    return _results_page(slug, None)


@bp.get("/events/<slug>/results/versions/<int:number>", endpoint="results_version")
def results_version(slug: str, number: int):
    return _results_page(slug, number)


@bp.get("/manage/overview", endpoint="overview")
@login_required
def overview():
    require_organiser_account()
    return render_template(
        "dashboard/overview.html", overview=organiser_overview(current_user)
    )
