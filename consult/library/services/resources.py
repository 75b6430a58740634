"""Resources that organisers add to the library directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from consult.categories import CATEGORIES
from consult.challenges.models import Challenge
from consult.errors import PermissionDenied, Problems, ValidationFailed
from consult.events.access import can_manage
from consult.events.models import Event
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.registration.countries import is_country
from consult.text import clean_text

TITLE_MAX = 200
SUMMARY_MAX = 5000
CITY_MAX = 120
LINK_MAX = 1000


@dataclass
class ResourceData:
    """What an organiser types for a resource; ids as chosen in the form."""

    title: str = ""
    summary: str = ""
    link: str = ""
    city: str = ""
    country: str = ""
    category: str = ""
    event_id: int | None = None
    challenge_id: int | None = None


def can_edit_resource(actor, entry: LibraryEntry) -> bool:
    """Admins edit every resource; organisers the ones they added."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active or not actor.can_organise or not entry.is_resource:
        return False
    return actor.is_admin or entry.created_by_id == actor.id


def create_resource(actor, data: ResourceData, *, now: datetime) -> LibraryEntry:
    """Add a resource to the library, attached to an event the actor manages."""
    _require_organiser(actor)
    entry = LibraryEntry(
        source="resource", created_by_id=actor.id, published_at=now, created_at=now
    )
    _apply(entry, actor, data, now=now)
    db.session.add(entry)
    db.session.flush()
    return entry


def update_resource(
    entry: LibraryEntry, actor, data: ResourceData, *, now: datetime
) -> LibraryEntry:
    """Change a resource the actor may edit; its publication date stays."""
    _require_editor(entry, actor)
    _apply(entry, actor, data, now=now)
    db.session.flush()
    return entry


def delete_resource(entry: LibraryEntry, actor) -> LibraryEntry:
    """Remove a resource from the library; returns the removed entry."""
    _require_editor(entry, actor)
    db.session.delete(entry)
    db.session.flush()
    return entry


def manageable_resources(actor) -> list[LibraryEntry]:
    """The resources the actor may edit, newest first."""
    _require_organiser(actor)
    query = select(LibraryEntry).where(LibraryEntry.source == "resource")
    if not actor.is_admin:
        query = query.where(LibraryEntry.created_by_id == actor.id)
    query = query.order_by(LibraryEntry.published_at.desc(), LibraryEntry.id.desc())
    return list(db.session.scalars(query))


def challenges_by_event(events) -> dict[int, list[Challenge]]:
    """Each event's challenges (archived ones too: old resources may point at them)."""
    ids = [event.id for event in events]
    grouped: dict[int, list[Challenge]] = {event_id: [] for event_id in ids}
    if not ids:
        return grouped
    query = (
        select(Challenge)
        .where(Challenge.event_id.in_(ids))
        .order_by(Challenge.event_id, Challenge.position, Challenge.id)
    )
    for challenge in db.session.scalars(query):
        grouped[challenge.event_id].append(challenge)
    return grouped


def _require_organiser(actor) -> None:
    if actor is None or not actor.is_active or not actor.can_organise:
        raise PermissionDenied(_("Only organisers can manage library resources."))


def _require_editor(entry: LibraryEntry, actor) -> None:
    if not can_edit_resource(actor, entry):
        raise PermissionDenied(_("You can only change resources you added."))


def check_resource(actor, data: ResourceData) -> None:
    """Every problem with a resource's input, raised together; nothing written."""
    _checked(actor, data)


def _checked(actor, data: ResourceData) -> dict:
    """The entry's column values, or ValidationFailed with every problem."""
    problems = Problems()
    event = problems.take(_event_for, actor, data.event_id)
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "summary": problems.take(
            clean_text, data.summary, "summary", max_length=SUMMARY_MAX
        ),
        "links": problems.take(clean_link, data.link),
        "city": problems.take(clean_text, data.city, "city", max_length=CITY_MAX),
        "country": problems.take(_clean_country, data.country),
        "category": problems.take(_clean_category, data.category),
        "event_id": getattr(event, "id", None),
        "challenge_id": (
            problems.take(_challenge_for, event, data.challenge_id) if event else None
        ),
    }
    problems.raise_any()
    return values


def _apply(entry: LibraryEntry, actor, data: ResourceData, *, now: datetime) -> None:
    for key, value in _checked(actor, data).items():
        setattr(entry, key, value)
    entry.updated_at = now


def _event_for(actor, event_id: int | None) -> Event:
    event = db.session.get(Event, event_id) if event_id else None
    if event is None:
        raise ValidationFailed(_("Choose the event this resource comes from."), "event")
    if not can_manage(actor, event):
        raise ValidationFailed(
            _("You can only attach resources to events you organise."), "event"
        )
    return event


def _challenge_for(event: Event, challenge_id: int | None) -> int | None:
    if not challenge_id:
        return None
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.event_id != event.id:
        raise ValidationFailed(
            _("Choose one of the chosen event's challenges, or none."), "challenge"
        )
    return challenge.id


def clean_link(value: str | None) -> str:
    """The resource's link, or ValidationFailed unless it is an http(s) address."""
    url = clean_text(value, "link", max_length=LINK_MAX)
    if not url:
        return ""
    problem = _("Give a web address that starts with https:// or http://.")
    if any(ch.isspace() for ch in url):
        raise ValidationFailed(problem, "link")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValidationFailed(problem, "link") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValidationFailed(problem, "link")
    return url


def _clean_country(value: str | None) -> str:
    code = (value or "").strip().upper()
    if code and not is_country(code):
        raise ValidationFailed(_("Choose a country from the list."), "country")
    return code


def _clean_category(value: str | None) -> str:
    key = (value or "").strip()
    if key not in CATEGORIES:
        raise ValidationFailed(_("Choose a category."), "category")
    return key
