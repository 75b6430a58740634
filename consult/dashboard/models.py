"""Dashboard tables: the public results' publication and versions, export jobs.

The export log, which every area's download writes, is in consult/export_log.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
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


EXPORT_JOB_KINDS = ("report_pdf", "workbook")
EXPORT_JOB_STATUSES = ("queued", "running", "done", "failed")


class ExportJob(db.Model):
    """A file of an event's data prepared by the scheduler, and its progress.

    One row per (event, kind, params, data version): a second request for the
    same file joins the row instead of making another, and a done row's file
    is served until the event's data moves on (``consult.data_versions``).
    The scheduler claims a queued row with a lease; a lease that runs out
    (the scheduler stopped midway) puts the row back in the queue and the file
    is made again from the start, replacing nothing: the file is stored in the
    same transaction that marks the row done.
    """

    __tablename__ = "export_jobs"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "params", "data_version"),
        CheckConstraint("kind IN ('report_pdf', 'workbook')", name="kind"),
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="status"
        ),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        Index("ix_export_jobs_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: the scheduler removes a deleted event's files with their rows.
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    # The report's language ("" for the workbook).
    params: Mapped[str] = mapped_column(String(40), default="")
    data_version: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str] = mapped_column(String(40), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    row_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
