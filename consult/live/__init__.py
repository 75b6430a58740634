"""The live room: questions with votes and live polls during the webinar
(blueprint only; routes are imported by create_app)."""

from flask import Blueprint

bp = Blueprint("live", __name__)


@bp.app_context_processor
def _live_helpers():
    # The manage page's link to the live room (templates/live/_manage_section.html).
    from consult.live.services.window import room_window

    return {"live_room_window": room_window}
