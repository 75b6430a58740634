"""Keep the library's copy of a best-practice input in step with the input."""

from __future__ import annotations

from sqlalchemy import select

from consult.challenges.categories import CATEGORIES
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.timeutil import now_utc


def _belongs_in_library(input) -> bool:
    return input.kind == "best_practice" and input.state == "published"


def _clip(value, length: int) -> str:
    return (value or "").strip()[:length]


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
    if entry is None:
        entry = LibraryEntry(source="input", input_id=input.id)
        db.session.add(entry)
    challenge = getattr(input, "challenge", None)
    category = input.library_category or ""
    country = (input.country or "").strip().upper()
    entry.event_id = input.event_id
    entry.challenge_id = input.challenge_id if challenge is not None else None
    entry.title = _clip(input.title, 200)
    entry.summary = ""
    entry.body = input.body or ""
    entry.results = input.results or ""
    entry.period = _clip(input.period, 120)
    entry.organisation = _clip(input.organisation, 200)
    entry.links = input.links or ""
    entry.city = _clip(input.city, 120)
    entry.country = country if len(country) == 2 and country.isalpha() else ""
    entry.category = category if category in CATEGORIES else ""
    entry.is_expert = bool(input.is_expert)
    entry.published_at = input.published_at or entry.published_at or now_utc()
    entry.updated_at = now_utc()
    if entry.created_at is None:
        entry.created_at = entry.updated_at
    db.session.flush()
