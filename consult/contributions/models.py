"""Contributions tables: the call, proposals with speakers and slides, reviewers,
ratings, and the host city's proposed challenges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.categories import CATEGORIES
from consult.extensions import db
from consult.storage.models import StoredFile
from consult.timeutil import UTCDateTime, now_utc

KINDS = ("best_practice", "case_study", "panel_statement")
PROPOSAL_STATUSES = ("submitted", "reserve", "accepted", "rejected", "withdrawn")
CITY_STATUSES = ("submitted", "approved", "rejected")

TITLE_MAX = 200
ABSTRACT_MAX = 5000
BIO_MAX = 1000
MESSAGE_MAX = 5000
DESCRIPTION_MAX = 10000


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ContributionCall(db.Model):
    """An event's call for contributions: window, guidelines, kinds and durations."""

    __tablename__ = "contribution_calls"
    __table_args__ = (
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
            name="window",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    guidelines_md: Mapped[str] = mapped_column(Text, default="")
    # kind -> allowed durations in minutes; a kind absent here is not sought.
    kinds: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")


class Proposal(db.Model):
    """One proposed contribution, reached by its proposer through a personal link."""

    __tablename__ = "contribution_proposals"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", PROPOSAL_STATUSES), name="status"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration"),
        # Only an accepted proposal holds an agenda session.
        CheckConstraint(
            "session_id IS NULL OR status = 'accepted'", name="session_if_accepted"
        ),
        CheckConstraint(
            "(slides_file_id IS NULL) = (slides_size IS NULL)", name="slides_complete"
        ),
        UniqueConstraint("nonce"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    proposer_name: Mapped[str] = mapped_column(String(200))
    proposer_email: Mapped[str] = mapped_column(String(254))
    # The proposer's language for messages (one of LANGUAGES); None: the
    # site's default (consult.languages.composing_for).
    language: Mapped[str | None] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    abstract_md: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    consent_publish: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decision_count: Mapped[int] = mapped_column(default=0, server_default="0")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="SET NULL"), unique=True
    )
    # Calendar SEQUENCE of the speakers' invites: +1 at every (re)placement.
    schedule_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Slides: their bytes are a stored file in the database (consult.storage).
    slides_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id"), unique=True
    )
    slides_original: Mapped[str] = mapped_column(String(200), default="")
    slides_type: Mapped[str] = mapped_column(String(10), default="")
    slides_size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    session = relationship("AgendaSession")
    slides_file = relationship(StoredFile)
    speakers = relationship(
        "ProposalSpeaker",
        back_populates="proposal",
        cascade="all, delete-orphan",
        order_by="ProposalSpeaker.position",
    )
    challenge_links = relationship(
        "ProposalChallenge", cascade="all, delete-orphan", back_populates="proposal"
    )
    ratings = relationship(
        "Rating", cascade="all, delete-orphan", back_populates="proposal"
    )

    @property
    def challenge_ids(self) -> list[int]:
        return sorted(link.challenge_id for link in self.challenge_links)

    @property
    def erased(self) -> bool:
        """The proposer erased their data: a submitted proposal always has an email."""
        return not self.proposer_email


class ProposalSpeaker(db.Model):
    __tablename__ = "contribution_speakers"
    __table_args__ = (CheckConstraint("position >= 0", name="position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("contribution_proposals.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    # The language of this speaker's calendar invitations; None: the default.
    language: Mapped[str | None] = mapped_column(String(20))

    proposal = relationship("Proposal", back_populates="speakers")


class ProposalChallenge(db.Model):
    """A challenge of the event that a proposal answers."""

    __tablename__ = "contribution_proposal_challenges"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("contribution_proposals.id", ondelete="CASCADE"), primary_key=True
    )
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    proposal = relationship("Proposal", back_populates="challenge_links")


class Reviewer(db.Model):
    """A user account allowed to see and rate one event's proposals."""

    __tablename__ = "contribution_reviewers"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    user = relationship("User")
    event = relationship("Event")


class Rating(db.Model):
    """One person's 1-5 rating of a proposal; one per person and proposal."""

    __tablename__ = "contribution_ratings"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("contribution_proposals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    proposal = relationship("Proposal", back_populates="ratings")
    user = relationship("User")


class CityRepresentative(db.Model):
    """The host city's representative for an event, invited with a personal link."""

    __tablename__ = "contribution_city_representatives"
    __table_args__ = (UniqueConstraint("event_id", "email"), UniqueConstraint("nonce"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    city: Mapped[str] = mapped_column(String(120), default="")
    # Chosen by the organiser who invites, then by the representative.
    language: Mapped[str | None] = mapped_column(String(20))
    nonce: Mapped[str] = mapped_column(String(64))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    proposals = relationship(
        "CityChallenge",
        back_populates="representative",
        order_by="CityChallenge.id",
    )


class CityChallenge(db.Model):
    """A challenge proposed by the city's representative, until approved."""

    __tablename__ = "contribution_city_challenges"
    __table_args__ = (
        CheckConstraint(_in("category", tuple(CATEGORIES)), name="category"),
        CheckConstraint(_in("status", CITY_STATUSES), name="status"),
        CheckConstraint(
            "challenge_id IS NULL OR status = 'approved'", name="linked_if_approved"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    representative_id: Mapped[int] = mapped_column(
        ForeignKey("contribution_city_representatives.id", ondelete="CASCADE"),
        index=True,
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    evidence_links: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL"), unique=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")
    representative = relationship("CityRepresentative", back_populates="proposals")
    challenge = relationship("Challenge")
