"""Registration: stakeholder types, seats, waiting list, manage links, attendance."""

from flask import Blueprint

bp = Blueprint("registration", __name__)


@bp.app_context_processor
def _registration_helpers():
    # Lets the public event page show "Register" only while registration is open.
    # Imported when a page renders: every module of the area runs this package
    # first, so importing services here would load them (and the areas they
    # use) for any import of the area, and close cycles through it.
    from consult.registration.services import registration_open
    from consult.timeutil import now_utc

    return {"registration_is_open": lambda event: registration_open(event, now_utc())}
