"""Participant directory and meeting requests (blueprint only; routes are
imported by create_app)."""

from flask import Blueprint

bp = Blueprint("directory", __name__)


@bp.context_processor
def _directory_helpers():
    # Imported when a page renders, like the other areas' helpers.
    from consult.registration.countries import country_name

    return {"country_name": country_name}
