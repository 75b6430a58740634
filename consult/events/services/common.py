"""Checks only the event services make: who may create an event, and that a
cancelled event stays as it is. (Who may manage an event is
``consult.events.access``, which every area's services use.)"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import Event


def require_organiser(actor) -> None:
    """Only active organiser and admin accounts may create events."""
    if actor is None or not actor.is_active or not actor.can_organise:
        raise PermissionDenied(_("Only organisers can create events."))


def require_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationFailed(
            _("This event is cancelled and can no longer be changed. Clone it instead.")
        )
