"""Challenges, inputs, invited experts, supports and prioritisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.categories import CATEGORIES
from consult.content import translations_column
from consult.extensions import db
from consult.registration.models import CHANNEL_CHECK, Facilitated
from consult.timeutil import UTCDateTime, now_utc

INPUT_KINDS = (
    "problem_insight",
    "best_practice",
    "solution_idea",
    "pilot_proposal",
    "expert_question",
)
INPUT_STATES = ("submitted", "published", "hidden", "merged")
EXPERT_STATUSES = ("invited", "accepted", "approved", "rejected")
PRIORITY_METHODS = ("points", "ranking")

# Length limits, shared by the models, forms and the typing counter.
TITLE_MAX = 200
BODY_MAX = 5000
DESCRIPTION_MAX = 10000
SHORT_MAX = 200
LONG_MAX = 2000


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Challenge(db.Model):
    """One of an event's challenges, owned by a city."""

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint(_in("category", tuple(CATEGORIES)), name="category"),
        CheckConstraint("position >= 0", name="position"),
        Index("ix_challenges_event_position", "event_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("title", "description")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    category: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(120), default="")
    # The same challenge carried from one event to the next: the id of the
    # first challenge of the chain (None for that first one, and for a
    # challenge of its own). Set by a clone and by the organiser's "same
    # challenge as"; removing the first one hands the chain to the next.
    lineage_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL"), index=True
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def lineage_key(self) -> int:
        """Who the challenge is across events: its chain's first challenge."""
        return self.lineage_id if self.lineage_id is not None else self.id

    def __repr__(self) -> str:
        return f"<Challenge {self.id} {self.title!r}>"


class ChallengeSettings(db.Model):
    """Per-event submission window and prioritisation method."""

    __tablename__ = "challenge_settings"
    __table_args__ = (
        CheckConstraint(_in("priority_method", PRIORITY_METHODS), name="method"),
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
    priority_method: Mapped[str] = mapped_column(String(20), default="points")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class Expert(db.Model):
    """An expert invited by email; their personal link lets them contribute."""

    __tablename__ = "challenge_experts"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("nonce"),
        CheckConstraint(_in("status", EXPERT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    expertise: Mapped[str] = mapped_column(Text, default="")
    # Where the expert is, for the times on their pages; "" until they say.
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The language of messages to the expert: chosen by the organiser who
    # invites, then by the expert; None: the site's default.
    language: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    nonce: Mapped[str] = mapped_column(String(64))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"


class Input(Facilitated, db.Model):
    """A contribution to an event, general or tied to one challenge."""

    __tablename__ = "inputs"
    __table_args__ = (
        CheckConstraint(_in("kind", INPUT_KINDS), name="kind"),
        CheckConstraint(_in("state", INPUT_STATES), name="state"),
        CheckConstraint(
            "category IS NULL OR " + _in("category", tuple(CATEGORIES)),
            name="category",
        ),
        CheckConstraint(
            "registration_id IS NOT NULL OR expert_id IS NOT NULL", name="author"
        ),
        CheckConstraint(
            "(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_into"
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="merge"),
        Index("ix_inputs_event_state", "event_id", "state"),
        CheckConstraint(CHANNEL_CHECK, name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_experts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20), default="submitted")
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    category: Mapped[str | None] = mapped_column(String(40))
    # Best practice: where and what it achieved.
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166 alpha-2
    organisation: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    period: Mapped[str] = mapped_column(String(120), default="")
    results: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")  # one URL per line
    # Pilot proposal.
    lead: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    budget_range: Mapped[str] = mapped_column(String(40), default="")
    timeline: Mapped[str] = mapped_column(String(SHORT_MAX), default="")

    consent_named: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_expert: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())

    # Moderation.
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("inputs.id"), index=True
    )
    tags: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text, default="")  # public, Markdown
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    selected_for_plan: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    challenge = relationship("Challenge")
    registration = relationship("Registration")
    expert = relationship("Expert")
    merged_into = relationship("Input", remote_side=[id])
    facilitated_by = relationship("User", foreign_keys="Input.facilitated_by_id")

    @property
    def library_category(self) -> str | None:
        """The input's own category, else its challenge's."""
        if self.category:
            return self.category
        return self.challenge.category if self.challenge is not None else None

    @property
    def author_name(self) -> str:
        """The author's name, for the author and organisers only."""
        if self.expert is not None:
            return self.expert.name
        return self.registration.full_name if self.registration is not None else ""

    @property
    def author_organisation(self) -> str:
        if self.expert is not None:
            return self.expert.organisation
        return self.registration.organisation if self.registration is not None else ""

    @property
    def _author_erased(self) -> bool:
        reg = self.registration
        return reg is not None and reg.erased_at is not None

    @property
    def public_author_name(self) -> str | None:
        """The author's name when they consented to be named, else None."""
        if not self.consent_named or self._author_erased:
            return None
        return self.author_name or None

    @property
    def public_author_organisation(self) -> str | None:
        if not self.consent_named or self._author_erased:
            return None
        return self.author_organisation or None

    def __repr__(self) -> str:
        return f"<Input {self.id} {self.kind} {self.state}>"


class InputSupport(db.Model):
    """A registrant's support for an input: at most one per person per input."""

    __tablename__ = "input_supports"
    __table_args__ = (UniqueConstraint("input_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class Priority(db.Model):
    """One registrant's points for (or rank of) one challenge."""

    __tablename__ = "challenge_priorities"
    __table_args__ = (
        UniqueConstraint("registration_id", "challenge_id"),
        CheckConstraint("points IS NULL OR points >= 0", name="points"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank"),
        CheckConstraint("(points IS NULL) <> (rank IS NULL)", name="points_or_rank"),
        CheckConstraint(CHANNEL_CHECK, name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    points: Mapped[int | None] = mapped_column(Integer)
    rank: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    # Recorded by a facilitator on the person's behalf (consult.facilitators):
    # who, and how they reached the person; updated_at is when.
    facilitated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    channel: Mapped[str | None] = mapped_column(String(20))
