"""The live room of an event: its settings, co-hosts, questions with votes,
and polls with their options and answers.

Participants act through their registration (no account). At most one
question of an event is pinned ("now discussing"): a partial unique index
holds it, whatever the services do. One vote per participant per question and
one answer per participant per poll are unique constraints.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

QUESTION_MAX = 280
WORD_MAX = 40
PROMPT_MAX = 200
OPTION_MAX = 120
MAX_OPTIONS = 10
QUESTION_STATES = ("pending", "approved", "hidden", "answered")
POLL_KINDS = ("single", "multiple", "rating", "words", "ranking")
POLL_STATES = ("draft", "open", "closed")
DEFAULT_OPENS_BEFORE = 30
DEFAULT_CLOSES_AFTER = 30


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LiveSettings(db.Model):
    """When an event's live room opens and closes, and what it allows."""

    __tablename__ = "live_settings"
    __table_args__ = (
        CheckConstraint(
            "opens_minutes_before BETWEEN 0 AND 1440", name="opens_minutes_before"
        ),
        CheckConstraint(
            "closes_minutes_after BETWEEN 0 AND 1440", name="closes_minutes_after"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    opens_minutes_before: Mapped[int] = mapped_column(default=DEFAULT_OPENS_BEFORE)
    closes_minutes_after: Mapped[int] = mapped_column(default=DEFAULT_CLOSES_AFTER)
    questions_enabled: Mapped[bool] = mapped_column(default=True)
    anonymous_allowed: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class LiveCohost(db.Model):
    """An account an organiser named to moderate the live room."""

    __tablename__ = "live_cohosts"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    user = relationship("User", foreign_keys=[user_id])


class LiveQuestion(db.Model):
    """A participant's question; moderators approve, hide, answer, merge, pin."""

    __tablename__ = "live_questions"
    __table_args__ = (
        CheckConstraint(_in("state", QUESTION_STATES), name="state"),
        CheckConstraint("NOT pinned OR state = 'approved'", name="pinned_approved"),
        Index(
            "uq_live_questions_pinned_event",
            "event_id",
            unique=True,
            sqlite_where=text("pinned"),
            postgresql_where=text("pinned"),
        ),
        Index("ix_live_questions_event_id_state", "event_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))
    # Anonymous to the other participants; moderators always see who asked.
    anonymous: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_questions.id", ondelete="SET NULL")
    )
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    registration = relationship("Registration")


class LiveQuestionVote(db.Model):
    """One participant's upvote of one question (at most one: the constraint)."""

    __tablename__ = "live_question_votes"
    __table_args__ = (UniqueConstraint("question_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE")
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class LivePoll(db.Model):
    """A poll prepared before the event, launched (open) and closed live."""

    __tablename__ = "live_polls"
    __table_args__ = (
        CheckConstraint(_in("kind", POLL_KINDS), name="kind"),
        CheckConstraint(_in("state", POLL_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(String(PROMPT_MAX))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # Participants see the results of a closed poll, or of an open one shown.
    results_shown: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    options = relationship(
        "LivePollOption",
        order_by="LivePollOption.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class LivePollOption(db.Model):
    """A choice of a poll (for a ranking: one of the host city's challenges)."""

    __tablename__ = "live_poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("live_polls.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(OPTION_MAX))
    position: Mapped[int] = mapped_column(default=0)
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL")
    )


class LivePollAnswer(db.Model):
    """One participant's answer to one poll (at most one: the constraint).

    ``option_ids``: the chosen options (single, multiple) or every option in
    the participant's order (ranking); ``rating``: 1 to 5; ``word``: a short
    answer for the word cloud.
    """

    __tablename__ = "live_poll_answers"
    __table_args__ = (
        UniqueConstraint("poll_id", "registration_id"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("live_polls.id", ondelete="CASCADE")
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    option_ids: Mapped[list] = mapped_column(JSON, default=list)
    rating: Mapped[int | None] = mapped_column(Integer)
    word: Mapped[str | None] = mapped_column(String(WORD_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
