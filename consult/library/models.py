"""Library tables: one denormalised row per published best practice or resource.

Published best-practice inputs are copied here by ``sync_input_entry`` and
resources are written here directly, so the public search is a single indexed
query. The full-text index itself lives in ``consult.library.search_index``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.categories import CATEGORIES
from consult.extensions import db
from consult.library import search_index
from consult.timeutil import UTCDateTime, now_utc

SOURCES = ("resource", "input")

_CATEGORY_KEYS = ", ".join(f"'{key}'" for key in CATEGORIES)


class LibraryEntry(db.Model):
    """A best practice (copied from a published input) or an organiser's resource."""

    __tablename__ = "library_entries"
    __table_args__ = (
        CheckConstraint("source IN ('resource', 'input')", name="source"),
        # An input's entry always points at it; a resource never does.
        CheckConstraint(
            "(source = 'input' AND input_id IS NOT NULL)"
            " OR (source = 'resource' AND input_id IS NULL)",
            name="input_source",
        ),
        CheckConstraint(
            f"category = '' OR category IN ({_CATEGORY_KEYS})", name="category"
        ),
        CheckConstraint("length(country) IN (0, 2)", name="country_code"),
        CheckConstraint("length(title) > 0", name="title"),
        Index("ix_library_entries_newest", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    input_id: Mapped[int | None] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), unique=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    links: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="", index=True)
    category: Mapped[str] = mapped_column(String(40), default="", index=True)
    is_expert: Mapped[bool] = mapped_column(default=False, server_default=false())
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")
    challenge = relationship("Challenge")
    # The author's name is read from the input when shown, never copied here,
    # so a withdrawn consent or an erased registration takes effect at once.
    input = relationship("Input")
    created_by = relationship("User")

    @property
    def is_resource(self) -> bool:
        return self.source == "resource"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<LibraryEntry {self.id} {self.source} {self.title!r}>"


search_index.attach(LibraryEntry.__table__)
