"""The public page of a city (blueprint ``cities``, defined here so that the
cities package stays importable by the events area without its views)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from consult.actions.access import can_edit_plan
from consult.actions.labels import STATUS_LABELS as ACTION_STATUS_LABELS
from consult.actions.services.public_priorities import challenge_priorities
from consult.cities.page import city_page
from consult.covenant.labels import PILLAR_HELP, PILLAR_LABELS, STATUS_LABELS
from consult.errors import NotFound
from consult.page_cache import anonymous_page_cache
from consult.surveys.results.privacy import min_group_size

bp = Blueprint("cities", __name__)


@bp.get("/cities/<city_slug>", endpoint="page")
@anonymous_page_cache  # the same page for every anonymous visitor
def page(city_slug: str):
    try:
        view = city_page(city_slug, priorities_of=challenge_priorities)
    except NotFound:
        abort(404)
    return render_template(
        "cities/page.html",
        page=view,
        city=view.city,
        # Signed-in editors get a fresh page (the cache is for anonymous
        # visitors only), with the way to edit the city's commitments.
        can_edit=can_edit_plan(current_user, view.city),
        threshold=min_group_size(),
        pillar_labels=PILLAR_LABELS,
        pillar_help=PILLAR_HELP,
        status_labels=STATUS_LABELS,
        action_status_labels=ACTION_STATUS_LABELS,
    )
