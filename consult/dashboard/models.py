"""Dashboard tables: the export log and the publication of the public results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

# "registrant_list": the registrations page's CSV, a filtered selection that
# also holds access needs and decision reasons (the other pages' downloads
# are the same records as a kind here and share its name).
EXPORT_KINDS = (
    "registrants",
    "inputs",
    "priorities",
    "surveys",
    "workbook",
    "registrant_list",
)
EXPORT_FORMATS = ("csv", "xlsx")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ExportLog(db.Model):
    """Who downloaded which export of an event, and when (exports hold personal data)."""

    __tablename__ = "dashboard_export_logs"
    __table_args__ = (
        CheckConstraint(_in("kind", EXPORT_KINDS), name="kind"),
        CheckConstraint(_in("format", EXPORT_FORMATS), name="format"),
        CheckConstraint("row_count >= 0", name="row_count"),
        Index("ix_dashboard_export_logs_event_created", "event_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Kept as text too: the log outlives a deleted account.
    user_email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    user = relationship("User")


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
