"""Finding programmes: by slug, those a user organises, their public events."""

from __future__ import annotations

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.programmes.models import Programme, ProgrammeOrganiser


def programme_by_slug(slug: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def organised_programmes(user) -> list[Programme]:
    """The programmes the user may edit (admins: every one), by name."""
    statement = select(Programme).order_by(Programme.name, Programme.id)
    if not user.is_admin:
        statement = statement.join(
            ProgrammeOrganiser, ProgrammeOrganiser.programme_id == Programme.id
        ).where(ProgrammeOrganiser.user_id == user.id)
    return list(db.session.scalars(statement))


def programme_choices(user, event: Event | None) -> list[Programme]:
    """The programmes an event's form offers: those the user organises, and
    the one the event is in already."""
    programmes = organised_programmes(user)
    current = None if event is None else event.programme
    if current is not None and all(p.id != current.id for p in programmes):
        programmes.insert(0, current)
    return programmes


def public_events(programme: Programme) -> list[Event]:
    """The programme's published events, oldest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.programme_id == programme.id, Event.status == "published")
            .order_by(Event.start_at, Event.id)
        )
    )
