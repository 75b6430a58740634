"""Keep the library's copy of a best-practice input in step with the input."""

from __future__ import annotations

from sqlalchemy import select

from consult.categories import CATEGORIES
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.timeutil import now_utc


def _belongs_in_library(input) -> bool:
    return input.kind == "best_practice" and input.state == "published"


def _clip(value, length: int) -> str:
    return (value or "").strip()[:length]


def _entry_values(input) -> dict:
    category = input.library_category or ""
    country = (input.country or "").strip().upper()
    return {
        "event_id": input.event_id,
        "challenge_id": input.challenge_id,
        "title": _clip(input.title, 200),
        "summary": "",
        "body": input.body or "",
        "results": input.results or "",
        "period": _clip(input.period, 120),
        "organisation": _clip(input.organisation, 200),
        "links": input.links or "",
        "city": _clip(input.city, 120),
        "country": country if len(country) == 2 and country.isalpha() else "",
        "category": category if category in CATEGORIES else "",
        "is_expert": bool(input.is_expert),
        "published_at": input.published_at,
        "updated_at": input.updated_at or now_utc(),
    }


def sync_input_entry(input) -> None:
    """Upsert the library entry of a published best practice, else delete it; flushes.

    Called after every change to an input (edit, publish, hide, merge, kind
    change), so the library never shows what the public challenge page hides.
    """
    if input.id is None:
        db.session.flush()
    entry = db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.input_id == input.id)
    )
    if not _belongs_in_library(input):
        if entry is not None:
            db.session.delete(entry)
            db.session.flush()
        return
    # Read everything from the input (lazy loads may autoflush) before the
    # entry is added to the session half-filled.
    values = _entry_values(input)
    if entry is None:
        entry = LibraryEntry(source="input", input_id=input.id, created_at=now_utc())
        db.session.add(entry)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.published_at = values["published_at"] or entry.published_at or now_utc()
    db.session.flush()
