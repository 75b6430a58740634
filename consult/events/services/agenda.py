"""Agenda sessions and their speakers."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.errors import Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import AgendaSession, Event, Speaker
from consult.events.services.common import require_not_cancelled
from consult.events.services.data import SessionData, SpeakerData
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import format_range, to_utc

MAX_SPEAKERS = 20


def add_session(event: Event, actor, data: SessionData, *, now: datetime):
    """Add a session, with its speakers, inside the event's times."""
    require_manager(actor, event)
    require_not_cancelled(event)
    values, speakers = _checked(event, data)
    session = AgendaSession(event=event, **values)
    _set_speakers(session, speakers)
    event.updated_at = now
    db.session.add(session)
    db.session.flush()
    return session


def update_session(session: AgendaSession, actor, data: SessionData, *, now: datetime):
    """Change a session's title, times, description and speakers."""
    event = session.event
    require_manager(actor, event)
    require_not_cancelled(event)
    values, speakers = _checked(event, data)
    for key, value in values.items():
        setattr(session, key, value)
    _set_speakers(session, speakers)
    event.updated_at = now
    db.session.flush()
    return session


def delete_session(session: AgendaSession, actor, *, now: datetime) -> Event:
    """Remove a session and its speakers from the agenda."""
    event = session.event
    require_manager(actor, event)
    require_not_cancelled(event)
    event.sessions.remove(session)
    event.updated_at = now
    db.session.flush()
    return event


def check_session(event: Event, data: SessionData) -> None:
    """Every problem with a session's input, raised together; nothing written."""
    _checked(event, data)


def _checked(event: Event, data: SessionData) -> tuple[dict, list[dict]]:
    """A session's column values and its speakers', or ValidationFailed with
    every problem."""
    problems = Problems()
    zone = event.timezone
    start_at = problems.take(to_utc, data.start, zone, "start", required=True)
    end_at = problems.take(to_utc, data.end, zone, "end", required=True)
    window = format_range(event.start_at, event.end_at, zone)
    if start_at and end_at and end_at <= start_at:
        problems.add(_("The end must be after the start."), "end")
    elif end_at and end_at > event.end_at:
        problems.add(
            _("The session must end within the event (%(w)s).", w=window), "end"
        )
    if start_at and start_at < event.start_at:
        problems.add(
            _("The session must start within the event (%(w)s).", w=window), "start"
        )
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=200, required=True
        ),
        "description_md": problems.take(
            clean_text, data.description, "description", max_length=10000
        ),
        "start_at": start_at,
        "end_at": end_at,
    }
    speakers = problems.take(_clean_speakers, data.speakers)
    problems.raise_any()
    return values, speakers


def _clean_speaker(speaker: SpeakerData) -> dict:
    values = {
        "name": clean_text(speaker.name, "speakers", max_length=200),
        "affiliation": clean_text(speaker.affiliation, "speakers", max_length=200),
        "city": clean_text(speaker.city, "speakers", max_length=120),
        "country": clean_text(speaker.country, "speakers", max_length=120),
        "bio": clean_text(speaker.bio, "speakers", max_length=2000),
    }
    if not values["name"]:
        raise ValidationFailed(_("Every speaker needs a name."), field="speakers")
    return values


def _clean_speakers(speakers: list[SpeakerData]) -> list[dict]:
    cleaned = [_clean_speaker(s) for s in speakers or []]
    if len(cleaned) > MAX_SPEAKERS:
        raise ValidationFailed(
            _("At most %(n)d speakers per session.", n=MAX_SPEAKERS), field="speakers"
        )
    return cleaned


def _set_speakers(session: AgendaSession, cleaned: list[dict]) -> None:
    """Update speakers in place by position, so existing rows keep their ids."""
    existing = list(session.speakers)
    for position, values in enumerate(cleaned):
        if position < len(existing):
            row = existing[position]
        else:
            row = Speaker()
            session.speakers.append(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.position = position
    for row in existing[len(cleaned) :]:
        session.speakers.remove(row)
