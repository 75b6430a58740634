"""An event's meeting on a webinar platform, and each registrant's place in it.

``PlatformLink``: the event's Jitsi room or Zoom meeting/webinar, and whether
the platform hands out personal links. ``PlatformRegistrant``: one row per
registration the platform should know about, worked through by the
scheduler's job (consult/platforms/jobs.py), never in a participant's request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

PLATFORMS = ("jitsi", "zoom")
KINDS = ("room", "meeting", "webinar")
LINK_STATES = ("pending", "ready", "failed")
SYNC_STATES = ("pending", "synced", "failed", "removed")
WANTED = ("add", "remove")
REPORT_STATES = ("none", "pending", "ready", "failed")


class PlatformLink(db.Model):
    """An event's meeting on a platform: created or linked by an organiser."""

    __tablename__ = "platform_links"
    __table_args__ = (
        CheckConstraint("platform IN ('jitsi', 'zoom')", name="platform"),
        CheckConstraint("kind IN ('room', 'meeting', 'webinar')", name="kind"),
        CheckConstraint("state IN ('pending', 'ready', 'failed')", name="state"),
        CheckConstraint(
            "report_state IN ('none', 'pending', 'ready', 'failed')",
            name="report_state",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    platform: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    # Zoom's meeting or webinar id (digits), or the Jitsi room's name; empty
    # while a Zoom meeting waits to be created.
    meeting_id: Mapped[str] = mapped_column(String(200), default="")
    # The link everyone may use (a Jitsi room, a Zoom meeting's join_url).
    shared_url: Mapped[str] = mapped_column(String(1000), default="")
    # True when the platform gives each registrant a link of their own.
    personal_links: Mapped[bool] = mapped_column(default=False)
    # The meeting still to be created (True) or an existing one to check.
    create_meeting: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    linked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    # The participants report, fetched by the job after the event on request.
    report_state: Mapped[str] = mapped_column(String(10), default="none")
    report_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_attempts: Mapped[int] = mapped_column(Integer, default=0)
    report_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_error: Mapped[str] = mapped_column(Text, default="")
    # The report as a Zoom CSV export, read by the attendance import.
    report_csv: Mapped[bytes | None] = mapped_column(LargeBinary)

    event = relationship("Event")

    @property
    def has_report(self) -> bool:
        """Only Zoom reports who attended; Jitsi Meet has no such API."""
        return self.platform == "zoom"


class PlatformRegistrant(db.Model):
    """One registration's place on the event's platform, kept in step by a job.

    ``wanted``: what the platform should hold (add: a registrant; remove: no
    longer). ``state``: pending (work due at ``next_attempt_at``), synced,
    failed (``last_error``; the organiser may retry), removed.
    """

    __tablename__ = "platform_registrants"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'synced', 'failed', 'removed')", name="state"
        ),
        CheckConstraint("wanted IN ('add', 'remove')", name="wanted"),
        Index("ix_platform_registrants_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    wanted: Mapped[str] = mapped_column(String(10), default="add")
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # None: due at once (set by the seat hooks, which have no clock).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    platform_registrant_id: Mapped[str] = mapped_column(String(200), default="")
    # The personal link the platform gave; empty when it gave none.
    join_url: Mapped[str] = mapped_column(Text, default="")
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration = relationship("Registration")


@dataclass(frozen=True)
class JoinLink:
    """The link a confirmed person joins with, and whether it is theirs alone."""

    url: str
    personal: bool


def join_link_for(registration) -> JoinLink | None:
    """The person's own link when the platform gave one, else the event's.

    For a confirmed registration of an event that is not cancelled; None when
    there is no link to give. Read by every page and message that shows it.
    """
    event = registration.event
    if registration.status != "confirmed" or event.is_cancelled:
        return None
    personal = None
    if registration.id:  # a preview's sample person (id 0) has none
        # A read: it must not flush what a caller holds unsaved (a reminder
        # preview builds a plan item it never saves).
        with db.session.no_autoflush:
            personal = db.session.scalar(
                select(PlatformRegistrant.join_url).where(
                    PlatformRegistrant.registration_id == registration.id,
                    PlatformRegistrant.wanted == "add",
                    PlatformRegistrant.join_url != "",
                )
            )
    if personal:
        return JoinLink(personal, True)
    if event.join_url:
        return JoinLink(event.join_url, False)
    return None
