"""A city's action plan: its actions, their milestones and progress updates.

One plan per city (``cities``), edited by the organisers of the events the
city hosts and by the city's representative. An action answers challenges
and builds on selected inputs of one or more consultations; only published
actions show on the public page. Dates of actions, milestones and updates
are calendar dates on the city's own calendar (``City.timezone``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.signing import new_nonce
from consult.timeutil import UTCDateTime, now_utc

ACTION_KINDS = ("policy", "pilot", "study", "capacity_building", "investment")
ACTION_STATUSES = ("planned", "in_progress", "done", "delayed", "dropped")

TITLE_MAX = 200
SHORT_MAX = 200
TEXT_MAX = 10000
LINK_MAX = 500


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ActionPlan(db.Model):
    """A host city's local action plan (one per city)."""

    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(
        ForeignKey("cities.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    introduction_md: Mapped[str] = mapped_column(Text, default="")  # Markdown
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    city = relationship("City")
    actions = relationship(
        "Action",
        back_populates="plan",
        order_by="(Action.position, Action.id)",
        cascade="all, delete-orphan",
    )
    versions = relationship(
        "PlanVersion",
        back_populates="plan",
        order_by="PlanVersion.number",
        cascade="all, delete-orphan",
    )


class PlanVersion(db.Model):
    """A version of the plan as adopted: the published actions at that
    moment, kept as they were (title, kind, status, progress, milestones)."""

    __tablename__ = "action_plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("number >= 1", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    plan = relationship("ActionPlan", back_populates="versions")


class Action(db.Model):
    """An activity or pilot project of the plan."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(_in("kind", ACTION_KINDS), name="kind"),
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint(
            "budget_amount IS NULL OR budget_amount >= 0", name="budget_amount"
        ),
        CheckConstraint(
            "start_on IS NULL OR end_on IS NULL OR end_on >= start_on",
            name="dates",
        ),
        UniqueConstraint("owner_nonce"),
        Index("ix_actions_plan_position", "plan_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description_md: Mapped[str] = mapped_column(Text, default="")  # Markdown
    kind: Mapped[str] = mapped_column(String(30))
    lead_organisation: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    # One partner per line: organisations, and European partner cities.
    partners: Mapped[str] = mapped_column(Text, default="")
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    budget_currency: Mapped[str] = mapped_column(String(3), default="")  # ISO 4217
    funding_source: Mapped[str] = mapped_column(String(SHORT_MAX), default="")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    # Who reports on the action: reminders and the personal link to post
    # updates go to this address (no account needed), in this language.
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_email: Mapped[str] = mapped_column(String(254), default="")
    owner_language: Mapped[str | None] = mapped_column(String(20))
    # Signs the owner's personal link; a new nonce revokes it (consult.signing).
    owner_nonce: Mapped[str] = mapped_column(String(64), default=new_nonce)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    plan = relationship("ActionPlan", back_populates="actions")
    challenges = relationship(
        "Challenge", secondary="action_challenges", order_by="Challenge.position"
    )
    inputs = relationship("Input", secondary="action_inputs", order_by="Input.id")
    milestones = relationship(
        "Milestone",
        back_populates="action",
        order_by="(Milestone.due_on, Milestone.id)",
        cascade="all, delete-orphan",
    )
    updates = relationship(
        "ActionUpdate",
        back_populates="action",
        order_by="(ActionUpdate.posted_on.desc(), ActionUpdate.id.desc())",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.title!r}>"


class ActionChallenge(db.Model):
    """A challenge the action answers."""

    __tablename__ = "action_challenges"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActionInput(db.Model):
    """A consultation input (selected for the plan) the action builds on."""

    __tablename__ = "action_inputs"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    input_id: Mapped[int] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Milestone(db.Model):
    """A dated step of an action; overdue when not done by its due date on
    the city's calendar. Its owner is reminded before and when overdue."""

    __tablename__ = "action_milestones"
    __table_args__ = (Index("ix_action_milestones_due", "due_on", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    action = relationship("Action", back_populates="milestones")

    def is_overdue(self, today: date) -> bool:
        """Not done and past its due date; ``today`` on the city's calendar."""
        return self.done_on is None and self.due_on < today


class ActionUpdate(db.Model):
    """A dated progress report on an action, by an editor or its owner."""

    __tablename__ = "action_updates"
    __table_args__ = (
        CheckConstraint(
            "progress IS NULL OR (progress >= 0 AND progress <= 100)",
            name="progress",
        ),
        CheckConstraint(
            "status_after IS NULL OR " + _in("status_after", ACTION_STATUSES),
            name="status_after",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    posted_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    # What the update changed: the progress it set, and the status before
    # and after (None: unchanged).
    progress: Mapped[int | None] = mapped_column(Integer)
    status_before: Mapped[str | None] = mapped_column(String(20))
    status_after: Mapped[str | None] = mapped_column(String(20))
    link: Mapped[str] = mapped_column(String(LINK_MAX), default="")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    # An account (organiser, admin) or None: the owner's personal link.
    posted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    action = relationship("Action", back_populates="updates")
