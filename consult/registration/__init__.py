"""Registration: stakeholder types, seats, waiting list, manage links, attendance."""

from flask import Blueprint

bp = Blueprint("registration", __name__)


@bp.app_context_processor
def _registration_helpers():
    # Lets the public event page show "Register" only while registration is open.
    from consult.registration.services import registration_open
    from consult.timeutil import now_utc

    return {"registration_is_open": lambda event: registration_open(event, now_utc())}
