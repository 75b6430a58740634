"""Who a live room's visitor is: a confirmed registrant of the event.

The manage link signs the participant into the event's room (the route keeps
the registration's id and manage nonce in the signed session cookie, so the
token stays out of the URL polled every few seconds, its logs and any shared
screen); every request checks the registration again.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.errors import Conflict, PermissionDenied
from consult.events.models import Event
from consult.extensions import db
from consult.live.services.window import window_of
from consult.registration.models import Registration


def may_enter(registration: Registration) -> bool:
    """Confirmed registrants of an event still on, whose data is not erased."""
    return (
        registration.status == "confirmed"
        and registration.erased_at is None
        and not registration.event.is_cancelled
    )


def participant_of(event: Event, registration_id, nonce) -> Registration | None:
    """The registration a live pass names, while it still opens this room."""
    if not isinstance(registration_id, int) or not isinstance(nonce, str):
        return None
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.event_id != event.id
        or registration.manage_nonce != nonce
        or not may_enter(registration)
    ):
        return None
    return registration


def require_open_room(registration: Registration, *, now: datetime) -> None:
    """PermissionDenied unless the participant may act in the room now."""
    if not may_enter(registration):
        raise PermissionDenied(_("Only confirmed participants can take part."))
    if window_of(registration.event).phase(now) != "open":
        raise Conflict(_("The live room is not open."))
