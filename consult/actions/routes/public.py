"""The public tracking page of a city's action plan, its versions and its
calendar of milestones (anyone may read them; only published actions show)."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template
from flask_babel import format_date

from consult.actions import bp
from consult.actions.figures import priority_chart, status_chart
from consult.actions.labels import KIND_LABELS, STATUS_LABELS
from consult.actions.services.plan_calendar import plan_calendar
from consult.actions.services.plan_versions import plan_version
from consult.actions.services.public_plan import public_plan
from consult.challenges.labels import KIND_LABELS as INPUT_KIND_LABELS
from consult.charts.progress import progress_bar
from consult.errors import NotFound
from consult.page_cache import anonymous_page_cache
from consult.timeutil import now_utc


@bp.app_template_filter("calendar_day")
def calendar_day(day: date | None) -> str:
    """A calendar date (no time, no zone) in the reader's language."""
    return format_date(day, "medium") if day else ""


@bp.get("/cities/<city_slug>/plan", endpoint="public_plan")
@anonymous_page_cache  # the same page for every anonymous visitor
def public_plan_page(city_slug: str):
    try:
        page = public_plan(city_slug, now=now_utc())
    except NotFound:
        abort(404)
    return render_template(
        "actions/public/plan.html",
        page=page,
        status_chart=status_chart(page.summary),
        priority_charts={
            s.challenge.id: priority_chart(s.priorities, s.challenge.id)
            for s in page.sections
            if s.challenge is not None
        },
        progress_bar=progress_bar,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        input_kind_labels=INPUT_KIND_LABELS,
    )


@bp.get("/cities/<city_slug>/plan/versions/<int:number>", endpoint="plan_version")
def plan_version_page(city_slug: str, number: int):
    try:
        view = plan_version(city_slug, number)
    except NotFound:
        abort(404)
    return render_template(
        "actions/public/version.html",
        view=view,
        progress_bar=progress_bar,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.get("/cities/<city_slug>/plan.ics", endpoint="public_plan_ics")
def public_plan_ics(city_slug: str):
    try:
        filename, body = plan_calendar(city_slug, now=now_utc())
    except NotFound:
        abort(404)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
