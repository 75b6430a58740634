"""Private calendar feeds: a signed token naming a registration and its feed nonce."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from consult.errors import NotFound
from consult.events.models import AgendaSession, Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.signing import new_nonce, row_from_token, sign_row

log = logging.getLogger(__name__)


def feed_token(registration: Registration) -> str:
    """The secret part of a registration's feed URL."""
    return sign_row("calendar-feed", registration.id, registration.feed_nonce or "")


def registration_from_feed_token(token: str) -> Registration:
    """The registration behind a feed token; NotFound when bad, revoked or erased."""
    registration = row_from_token(
        "calendar-feed",
        token,
        get=lambda reg_id: db.session.get(Registration, reg_id),
        nonce_of=lambda r: r.feed_nonce or "",
    )
    if registration is None:
        raise NotFound("registration")
    if registration.erased_at is not None:
        raise NotFound("feed")
    return registration


def revoke_feed(registration: Registration, *, now: datetime) -> Registration:
    """Rotate the feed nonce: every earlier feed URL stops working."""
    registration.feed_nonce = new_nonce()
    registration.updated_at = now
    db.session.flush()
    return registration


def feed_registrations(registration: Registration) -> list[Registration]:
    """The person's confirmed registrations (same email) for published events."""
    query = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == "confirmed",
            Registration.erased_at.is_(None),
            Event.status == "published",
        )
        .order_by(Event.start_at, Event.id)
        # Each VEVENT's description lists the agenda and its speakers: loaded
        # here in two queries, not two per event (4,000 queries for 200 events).
        .options(
            contains_eager(Registration.event)
            .selectinload(Event.sessions)
            .selectinload(AgendaSession.speakers)
        )
    )
    if registration.email:
        query = query.where(Registration.email == registration.email)
    else:
        query = query.where(Registration.id == registration.id)
    registrations = list(db.session.scalars(query))
    # An event stored with an absurd date (before dates were bounded) cannot
    # be written to a calendar: the feed leaves it out, not the whole feed.
    for reg in registrations:
        if not reg.event.agenda_in_range:
            log.warning(
                "calendar feed skips event %s: dates out of range", reg.event_id
            )
    return [reg for reg in registrations if reg.event.agenda_in_range]
