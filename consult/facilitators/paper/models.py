"""Paper sheets printed for an event, and CSV files of paper sheets to import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

# R: registration form, P: priorities sheet, S: a survey.
SHEET_KINDS = ("R", "P", "S")


class PaperSheet(db.Model):
    """One printed sheet: its reference code is issued when it is printed."""

    __tablename__ = "paper_sheets"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint("kind IN ('R', 'P', 'S')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()  # per event, from 1
    kind: Mapped[str] = mapped_column(String(1))
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(20))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    printed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The person the sheet registered (R) or whose priorities it holds (P).
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )

    event = relationship("Event")
    registration = relationship("Registration")


class PaperImport(db.Model):
    """A CSV file previewed for import; confirmed once at most."""

    __tablename__ = "paper_imports"
    __table_args__ = (UniqueConstraint("token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created: Mapped[int] = mapped_column(default=0)
