"""Co-organisers: other organiser accounts that may manage an event."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.auth.services import find_user_by_email, normalise_email
from consult.errors import NotFound, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event, EventOrganiser
from consult.extensions import db


def add_co_organiser(event: Event, actor, email: str, *, now: datetime):
    """Give an existing organiser or admin account the right to manage the event."""
    require_manager(actor, event)
    address = normalise_email(email)
    user = find_user_by_email(address)
    if user is None:
        raise ValidationFailed(
            _(
                "No account uses %(email)s. An admin must create an organiser "
                "account for them first.",
                email=address,
            ),
            field="email",
        )
    if not user.is_active or not user.can_organise:
        raise ValidationFailed(
            _("%(email)s is not an active organiser account.", email=address),
            field="email",
        )
    if user.id == event.owner_id:
        raise ValidationFailed(
            _("%(email)s owns this event already.", email=address), field="email"
        )
    if any(link.user_id == user.id for link in event.co_organisers):
        raise ValidationFailed(
            _("%(email)s is already a co-organiser.", email=address), field="email"
        )
    link = EventOrganiser(user=user, added_at=now)
    event.co_organisers.append(link)
    event.updated_at = now
    db.session.flush()
    return link


def remove_co_organiser(event: Event, actor, user_id: int, *, now: datetime) -> Event:
    """Withdraw a co-organiser's rights on the event (the owner cannot be removed)."""
    require_manager(actor, event)
    link = next((c for c in event.co_organisers if c.user_id == user_id), None)
    if link is None:
        raise NotFound(_("That person is not a co-organiser of this event."))
    event.co_organisers.remove(link)
    event.updated_at = now
    db.session.flush()
    return event
