"""Challenges area (blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("challenges", __name__)


@bp.context_processor
def _challenge_helpers():
    from consult.challenges.categories import category_label
    from consult.registration.countries import country_name
    from consult.timeutil import now_utc

    return {
        "country_name": country_name,
        "category_label": category_label,
        "now": now_utc(),
    }
