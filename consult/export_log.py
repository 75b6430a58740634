"""The export log: who downloaded which export of an event, and when.

Exports hold personal data, so every download of one is recorded. Each area's
download view records through ``consult.downloads``; the dashboard lists the
log. The table keeps the name it had when only the dashboard wrote it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
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


def log_export(
    event, user, *, kind: str, fmt: str, rows: int, now: datetime
) -> ExportLog:
    """Record that ``user`` downloaded an export of the event; flushes."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export {kind}.{fmt}")
    entry = ExportLog(
        event_id=event.id,
        user_id=user.id,
        user_email=user.email,
        kind=kind,
        format=fmt,
        row_count=rows,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
