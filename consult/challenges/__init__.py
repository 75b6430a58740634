"""Challenges area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("challenges", __name__)


@bp.context_processor
def _challenge_helpers():
    # Imported when a page renders: every module of the area runs this package
    # first, so importing services here would load them (and the areas they
    # use) for any import of the area, and close cycles through it.
    from consult.categories import category_label
    from consult.registration.countries import country_name
    from consult.timeutil import now_utc

    return {
        "country_name": country_name,
        "category_label": category_label,
        "now": now_utc(),
    }
