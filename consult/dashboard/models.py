"""Dashboard tables: the publication of the public results.

The export log, which every area's download writes, is in consult/export_log.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import UTCDateTime


class ResultsPublication(db.Model):
    """An event's public results page is on while this row exists."""

    __tablename__ = "dashboard_results_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    note: Mapped[str] = mapped_column(Text, default="")  # Markdown, public
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
