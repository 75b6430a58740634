"""Who may manage an event: its owner, its co-organisers, and admins."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.errors import PermissionDenied
from consult.events.models import Event, EventOrganiser
from consult.extensions import db


def can_manage(user, event: Event) -> bool:
    """True when the user is the event's owner, a co-organiser or an admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    if user.is_admin:
        return True
    if not user.can_organise:
        return False
    if event.owner_id == user.id:
        return True
    return (
        db.session.scalar(
            select(EventOrganiser.id).where(
                EventOrganiser.event_id == event.id, EventOrganiser.user_id == user.id
            )
        )
        is not None
    )


def require_manager(actor, event: Event) -> None:
    """The services' check, in every area: PermissionDenied unless ``actor``
    may manage ``event`` (routes check first, with ``managed_event_or_404``)."""
    if not can_manage(actor, event):
        raise PermissionDenied(_("You cannot manage this event."))


def managed_event_or_404(slug: str) -> Event:
    """Load an event for its management pages; 404 when absent, 403 when not allowed.

    A logged-out visitor is sent to the login page by the route's
    ``login_required``; this answers 404 rather than 403 for events the user
    cannot manage so that drafts' slugs are not revealed.
    """
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if not can_manage(current_user, event):
        abort(404 if event.is_draft else 403)
    return event


def visible_event_or_404(slug: str) -> Event:
    """Load an event for public pages: drafts are a 404 for all but organisers."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    if event.is_draft and not can_manage(current_user, event):
        abort(404)
    return event
