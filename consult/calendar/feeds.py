"""Private calendar feeds: a signed token naming a registration and its feed nonce."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from consult.errors import NotFound
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration

FEED_SALT = "calendar-feed"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_token(registration: Registration) -> str:
    """The secret part of a registration's feed URL."""
    return _serializer().dumps(
        {"id": registration.id, "f": registration.feed_nonce or ""}
    )


def registration_from_feed_token(token: str) -> Registration:
    """The registration behind a feed token; NotFound when bad, revoked or erased."""
    try:
        payload = _serializer().loads(token)
    except BadSignature as exc:
        raise NotFound("feed") from exc
    if not isinstance(payload, dict):
        raise NotFound("feed")
    reg_id, nonce = payload.get("id"), payload.get("f")
    if not isinstance(reg_id, int) or not isinstance(nonce, str):
        raise NotFound("feed")
    registration = db.session.get(Registration, reg_id)
    if registration is None or registration.erased_at is not None:
        raise NotFound("feed")
    current = (registration.feed_nonce or "").encode()
    if not hmac.compare_digest(current, nonce.encode()):
        raise NotFound("feed")
    return registration


def revoke_feed(registration: Registration, *, now: datetime) -> Registration:
    """Rotate the feed nonce: every earlier feed URL stops working."""
    registration.feed_nonce = secrets.token_urlsafe(24)
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
    )
    if registration.email:
        query = query.where(Registration.email == registration.email)
    else:
        query = query.where(Registration.id == registration.id)
    return list(db.session.scalars(query))
