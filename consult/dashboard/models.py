"""Dashboard tables: the publication of the public results and its versions.

The export log, which every area's download writes, is in consult/export_log.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime


class ResultsPublication(db.Model):
    """An event's public results page is on while this row exists.

    What the page shows is the latest ``ResultsVersion``; ``note`` is the
    note last published (the form's default for the next publication).
    """

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


class ResultsVersion(db.Model):
    """One published version of an event's results, frozen when published.

    ``data`` holds every figure and text the public page shows (aggregates and
    the names authors consented to show, no ids that the page needs), so the
    page does not change when the event's data does. ``data`` is None only for
    a publication made before versions existed, until it is frozen (see
    consult.dashboard.services.publication.freeze_migrated). Versions are
    kept when the page is taken down: the event's organisers still see them.
    """

    __tablename__ = "dashboard_results_versions"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Kept beside the id: the account may be deleted, the record of who
    # published stays (organisers only; the public page does not show it).
    published_by_name: Mapped[str] = mapped_column(String(254), default="")
    rule_version: Mapped[str] = mapped_column(String(20), default="")
    min_group_size: Mapped[int] = mapped_column()
    data: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    event = relationship("Event")


class ReportNotes(db.Model):
    """One saved version of the organisers' key findings and next steps.

    Each save adds a version (who and when kept, also after the account is
    deleted); the report shows the latest. Both texts are Markdown, rendered
    by consult.text.render_markdown.
    """

    __tablename__ = "dashboard_report_notes"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    key_findings: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    saved_by_name: Mapped[str] = mapped_column(String(254), default="")
