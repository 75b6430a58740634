"""The API's list reads: events a token may see, an event's registrations,
both in stable id order with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.errors import NotFound, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event, EventOrganiser
from consult.events.services.queries import PUBLIC_STATUSES
from consult.extensions import db
from consult.programmes.models import Programme
from consult.registration.models import Registration, StakeholderType
from consult.registration.services.organiser_queries import (
    RegistrantFilter,
    filter_conditions,
)

CURSOR_PREFIX = "after:"


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    raw = f"{CURSOR_PREFIX}{last_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id after which the page starts (0: the first page)."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    number = raw.removeprefix(CURSOR_PREFIX)
    if not raw.startswith(CURSOR_PREFIX) or not number.isdigit() or len(number) > 18:
        raise ValidationFailed(_("This cursor is not one we gave."), "cursor")
    return int(number)


def _page(query, cursor: str | None, limit: int, id_column) -> Page:
    after = decode_cursor(cursor)
    rows = list(
        db.session.scalars(
            query.where(id_column > after).order_by(id_column).limit(limit + 1)
        ).unique()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)


def _visible_condition(actor):
    """Public events, and every event the actor manages."""
    if actor.is_admin:
        return True
    if not actor.can_organise:
        return Event.status.in_(PUBLIC_STATUSES)
    co_organised = select(EventOrganiser.event_id).where(
        EventOrganiser.user_id == actor.id
    )
    return or_(
        Event.status.in_(PUBLIC_STATUSES),
        Event.owner_id == actor.id,
        Event.id.in_(co_organised),
    )


def events_page(
    actor,
    *,
    programme: str | None = None,
    status: str | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The events the actor may see through the API, filtered, by id."""
    query = select(Event).where(_visible_condition(actor))
    if programme is not None:
        query = query.join(Programme, Event.programme_id == Programme.id).where(
            Programme.slug == programme
        )
    if status is not None:
        query = query.where(Event.status == status)
    if starts_after is not None:
        query = query.where(Event.start_at >= starts_after)
    if starts_before is not None:
        query = query.where(Event.start_at < starts_before)
    return _page(query, cursor, limit, Event.id)


def visible_event(actor, slug: str) -> Event:
    """An event the actor may read: public, or theirs to manage; else NotFound."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or (
        event.status not in PUBLIC_STATUSES and not can_manage(actor, event)
    ):
        raise NotFound(_("Not found, or not yours to see."))
    return event


def managed_event(actor, slug: str) -> Event:
    """An event the actor manages. Any other is NotFound, whether it exists
    or not, so a token learns nothing of others' events (documented)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not can_manage(actor, event):
        raise NotFound(_("Not found, or not yours to see."))
    return event


def event_types(event: Event) -> list[StakeholderType]:
    return list(
        db.session.scalars(
            select(StakeholderType)
            .where(StakeholderType.event_id == event.id)
            .order_by(StakeholderType.position, StakeholderType.id)
        )
    )


def registrations_page(
    event: Event,
    *,
    status: str | None = None,
    stakeholder_type: str | None = None,
    updated_since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """An event's registrations, filtered as on the organiser's list, by id."""
    type_id = None
    if stakeholder_type is not None:
        type_id = db.session.scalar(
            select(StakeholderType.id).where(
                StakeholderType.event_id == event.id,
                StakeholderType.key == stakeholder_type,
            )
        )
        if type_id is None:
            raise ValidationFailed(
                _("This event has no such stakeholder type."), "stakeholder_type"
            )
    filters = RegistrantFilter(type_id=type_id, status=status or "")
    query = select(Registration).where(*filter_conditions(event, filters))
    if updated_since is not None:
        query = query.where(Registration.updated_at >= updated_since)
    return _page(query, cursor, limit, Registration.id)
