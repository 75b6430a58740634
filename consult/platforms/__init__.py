"""Webinar platforms: an event's Jitsi room or Zoom meeting, personal join
links and attendance from the platform (blueprint only; routes are imported
by create_app)."""

from flask import Blueprint

bp = Blueprint("platforms", __name__)


@bp.app_context_processor
def _join_link_helper():
    # Every page that shows a confirmed person their join link asks here.
    from consult.platforms.models import join_link_for

    return {"join_link_for": join_link_for}
