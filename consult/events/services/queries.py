"""Read-only lookups for the event pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from consult.events.models import Event, EventOrganiser
from consult.extensions import db

PUBLIC_STATUSES = ("published", "cancelled")


def public_events(*, now: datetime, past_limit: int = 50):
    """(upcoming, past) public events; an event under way counts as upcoming."""
    base = select(Event).where(Event.status.in_(PUBLIC_STATUSES))
    upcoming = db.session.scalars(
        base.where(Event.end_at >= now).order_by(Event.start_at, Event.id)
    ).all()
    past = db.session.scalars(
        base.where(Event.end_at < now)
        .order_by(Event.start_at.desc(), Event.id.desc())
        .limit(past_limit)
    ).all()
    return list(upcoming), list(past)


def managed_events(actor) -> list[Event]:
    """Events the actor owns or co-organises; every event for an admin."""
    query = select(Event).order_by(Event.start_at.desc(), Event.id.desc())
    if not actor.is_admin:
        co_organised = select(EventOrganiser.event_id).where(
            EventOrganiser.user_id == actor.id
        )
        query = query.where(or_(Event.owner_id == actor.id, Event.id.in_(co_organised)))
    return list(db.session.scalars(query))
