"""Event slugs: generated from the title, editable, unique, URL-safe."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.extensions import db

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_MAX_LENGTH = 100
GENERATED_MAX_LENGTH = 60
# Words that are, or may become, path segments next to /events/<slug>.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "auth",
        "calendar",
        "edit",
        "events",
        "feed",
        "library",
        "login",
        "logout",
        "manage",
        "new",
        "register",
        "search",
        "static",
    }
)


def slugify(title: str) -> str:
    """An ASCII slug for a title: 'Café Ōsaka — 2026' -> 'cafe-osaka-2026'."""
    ascii_text = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > GENERATED_MAX_LENGTH:
        # Cut at a word boundary so slugs do not end in half a word.
        slug = (
            slug[:GENERATED_MAX_LENGTH].rsplit("-", 1)[0] or slug[:GENERATED_MAX_LENGTH]
        )
    return slug or "event"


def _taken(slug: str, exclude_id: int | None) -> bool:
    query = select(Event.id).where(Event.slug == slug)
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    return db.session.scalar(query) is not None


def unique_slug(base: str, *, exclude_id: int | None = None) -> str:
    """The base slug, or base-2, base-3... whichever is free and not reserved."""
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or _taken(candidate, exclude_id):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def clean_slug(value: str, title: str, *, exclude_id: int | None = None) -> str:
    """Validate an organiser's slug, or generate one from the title when empty."""
    slug = (value or "").strip().lower()
    if not slug:
        return unique_slug(slugify(title), exclude_id=exclude_id)
    if len(slug) > SLUG_MAX_LENGTH or not SLUG_PATTERN.match(slug):
        raise ValidationFailed(
            _(
                "Use lower-case letters, digits and single hyphens only "
                "(for example: circular-cities-2026), at most %(n)d characters.",
                n=SLUG_MAX_LENGTH,
            ),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(
            _("“%(slug)s” is reserved. Please choose another address.", slug=slug),
            field="slug",
        )
    if _taken(slug, exclude_id):
        raise ValidationFailed(
            _("Another event already uses the address “%(slug)s”.", slug=slug),
            field="slug",
        )
    return slug
