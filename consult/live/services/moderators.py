"""Who moderates an event's live room (its organisers and named co-hosts), the
room's settings and its co-hosts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.auth.models import User
from consult.data_versions import bump_data_version
from consult.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    Problems,
    ValidationFailed,
)
from consult.events.access import can_manage, require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.live.models import LiveCohost, LiveSettings


def is_cohost(user, event: Event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    return (
        db.session.scalar(
            select(LiveCohost.id).where(
                LiveCohost.event_id == event.id, LiveCohost.user_id == user.id
            )
        )
        is not None
    )


def can_moderate(user, event: Event) -> bool:
    """True for the event's managers and its live co-hosts."""
    return can_manage(user, event) or is_cohost(user, event)


def require_moderator(actor, event: Event) -> None:
    """PermissionDenied unless ``actor`` may moderate the event's live room."""
    if not can_moderate(actor, event):
        raise PermissionDenied(_("You cannot moderate this live room."))


@dataclass(frozen=True)
class SettingsData:
    opens_minutes_before: int
    closes_minutes_after: int
    questions_enabled: bool
    anonymous_allowed: bool


def save_settings(actor, event: Event, data: SettingsData, *, now: datetime):
    """Save the room's window and what it allows (organisers only)."""
    require_manager(actor, event)
    problems = Problems()
    for field in ("opens_minutes_before", "closes_minutes_after"):
        value = getattr(data, field)
        if value is None or not 0 <= value <= 1440:
            problems.add(_("Enter a number of minutes from 0 to 1440."), field)
    problems.raise_any()
    settings = db.session.scalar(
        select(LiveSettings).where(LiveSettings.event_id == event.id)
    )
    if settings is None:
        settings = LiveSettings(event_id=event.id)
        db.session.add(settings)
    settings.opens_minutes_before = data.opens_minutes_before
    settings.closes_minutes_after = data.closes_minutes_after
    settings.questions_enabled = data.questions_enabled
    settings.anonymous_allowed = data.anonymous_allowed
    settings.updated_at = now
    bump_data_version(event.id)
    db.session.flush()
    return settings


def cohosts_of(event: Event) -> list[LiveCohost]:
    return list(
        db.session.scalars(
            select(LiveCohost)
            .where(LiveCohost.event_id == event.id)
            .order_by(LiveCohost.id)
        )
    )


def add_cohost(actor, event: Event, email: str, *, now: datetime) -> LiveCohost:
    """Name an existing account a co-host of the live room (organisers only)."""
    require_manager(actor, event)
    address = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == address))
    if user is None or not user.is_active:
        raise ValidationFailed(_("No active account has this email address."), "email")
    if can_manage(user, event) or is_cohost(user, event):
        raise Conflict(_("This account already moderates this event."), "email")
    cohost = LiveCohost(
        event_id=event.id, user_id=user.id, added_by_id=actor.id, created_at=now
    )
    db.session.add(cohost)
    db.session.flush()
    return cohost


def remove_cohost(actor, event: Event, user_id: int) -> None:
    """Take a co-host off the live room (organisers only)."""
    require_manager(actor, event)
    cohost = db.session.scalar(
        select(LiveCohost).where(
            LiveCohost.event_id == event.id, LiveCohost.user_id == user_id
        )
    )
    if cohost is None:
        raise NotFound(_("This account is not a co-host of this event."))
    db.session.delete(cohost)
    db.session.flush()
