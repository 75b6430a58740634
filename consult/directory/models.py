"""The participant directory: profiles, meeting requests, blocks and reports.

Everything hangs off a registration: participants have no accounts, they act
through their manage link. Who is listed is decided at query time (a
confirmed registration that consents to the listing, a profile not removed by
an organiser), so withdrawing consent removes a person at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

LOOKING_FOR_MAX = 300
OFFERING_MAX = 300
TOPICS_MAX = 200
MESSAGE_MAX = 1000
REASON_MAX = 500
REQUEST_STATUSES = ("pending", "accepted", "declined")
# How long an agreed meeting lasts in the invites.
MEETING_MINUTES = 30


class DirectoryProfile(db.Model):
    """What a participant tells the others in the directory."""

    __tablename__ = "directory_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    looking_for: Mapped[str] = mapped_column(String(LOOKING_FOR_MAX), default="")
    offering: Mapped[str] = mapped_column(String(OFFERING_MAX), default="")
    topics: Mapped[str] = mapped_column(String(TOPICS_MAX), default="")
    # An organiser took the profile out after a report.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    registration = relationship("Registration")
    challenges = relationship(
        "Challenge",
        secondary="directory_profile_challenges",
        order_by="Challenge.position",
    )


class DirectoryProfileChallenge(db.Model):
    """A challenge a profile is interested in."""

    __tablename__ = "directory_profile_challenges"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("directory_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MeetingRequest(db.Model):
    """A request from one listed participant to another, with proposed slots."""

    __tablename__ = "meeting_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')",
            name="meeting_request_status",
        ),
        CheckConstraint("sender_id <> recipient_id", name="meeting_request_not_self"),
        Index("ix_meeting_requests_sender_created", "sender_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    # The zone the sender proposed the slots in.
    sender_zone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    agreed_start_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    sender = relationship("Registration", foreign_keys=[sender_id])
    recipient = relationship("Registration", foreign_keys=[recipient_id])
    slots = relationship(
        "MeetingSlot",
        order_by="MeetingSlot.start_at",
        cascade="all, delete-orphan",
        back_populates="request",
    )


class MeetingSlot(db.Model):
    """One proposed start (UTC); meetings last MEETING_MINUTES."""

    __tablename__ = "meeting_slots"
    __table_args__ = (UniqueConstraint("request_id", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), index=True
    )
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())

    request = relationship("MeetingRequest", back_populates="slots")


class DirectoryBlock(db.Model):
    """``blocker`` wants no requests from ``blocked``; neither sees the other."""

    __tablename__ = "directory_blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DirectoryReport(db.Model):
    """A participant flags a profile to the organisers."""

    __tablename__ = "directory_reports"
    __table_args__ = (UniqueConstraint("reporter_id", "reported_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    reported_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reporter = relationship("Registration", foreign_keys=[reporter_id])
    reported = relationship("Registration", foreign_keys=[reported_id])
