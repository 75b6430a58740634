"""Surveys tables: surveys, their questions and options, responses and answers.

The shapes follow the agreement in the project's surveys model note: one
SurveyAnswer row per chosen option / ranked item / matrix statement, one row
with a number or text for the other kinds, and no row for an unanswered
optional question.

Anonymity: a response of an anonymous survey has ``registration_id`` NULL and
a ``submitted_at`` truncated to the day; the SurveyParticipation row records
that the person answered, with no column pointing at the response. The
anonymous draft (SurveyDraft) is explained in consult.surveys.services.answering.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.content import translations_column
from consult.extensions import db
from consult.registration.models import CHANNEL_CHECK, Facilitated
from consult.timeutil import UTCDateTime, now_utc

SURVEY_KINDS = ("pre_event", "post_event", "standalone")
AUDIENCES = ("confirmed", "attendees", "types", "public")
QUESTION_KINDS = (
    "single_choice",
    "multiple_choice",
    "likert",
    "rating",
    "number",
    "short_text",
    "long_text",
    "ranking",
    "likert_matrix",
)
# Kinds whose options are choices / ranked items, and the one with statements.
CHOICE_KINDS = ("single_choice", "multiple_choice", "ranking")
SCALE_KINDS = ("likert", "likert_matrix")
RESPONSE_STATUSES = ("draft", "submitted")
OPTION_ROLES = ("option", "statement")
DEFAULT_SCALE_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
RATING_MIN, RATING_MAX = 0, 10
FACILITATED_NAMED_ONLY = (
    "registration_id IS NOT NULL OR (facilitated_by_id IS NULL "
    "AND channel IS NULL AND facilitated_at IS NULL)"
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


survey_audience_types = Table(
    "survey_audience_types",
    db.metadata,
    Column(
        "survey_id",
        ForeignKey("surveys.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "stakeholder_type_id",
        ForeignKey("stakeholder_types.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class Survey(db.Model):
    """A questionnaire of one event, for an audience, open during a window."""

    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint(_in("kind", SURVEY_KINDS), name="kind"),
        CheckConstraint(_in("audience", AUDIENCES), name="audience"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
            name="window",
        ),
        CheckConstraint(
            "reminder_after_days IS NULL OR reminder_after_days >= 1",
            name="reminder_after_days",
        ),
        # A public link needs its token; only public surveys have one.
        CheckConstraint(
            "(audience = 'public') = (public_token IS NOT NULL)",
            name="public_token_iff_public",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("title", "introduction")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")  # Markdown
    kind: Mapped[str] = mapped_column(String(20), default="standalone")
    audience: Mapped[str] = mapped_column(String(20), default="confirmed")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymous: Mapped[bool] = mapped_column(default=False)
    allow_edit: Mapped[bool] = mapped_column(default=False)
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    reminder_after_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    event = relationship("Event")
    created_by = relationship("User")
    audience_types = relationship(
        "StakeholderType",
        secondary=survey_audience_types,
        order_by="StakeholderType.position",
    )
    questions = relationship(
        "SurveyQuestion",
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="(SurveyQuestion.position, SurveyQuestion.id)",
    )

    def is_open(self, now: datetime) -> bool:
        """True while answers are accepted: opened and not yet closed."""
        if self.opens_at is None or now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    def state(self, now: datetime) -> str:
        """'not_scheduled', 'scheduled', 'open' or 'closed' at that instant."""
        if self.opens_at is None:
            return "not_scheduled"
        if now < self.opens_at:
            return "scheduled"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.kind}>"


class SurveyQuestion(db.Model):
    """One question of a survey; options and statements hang off it."""

    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
        CheckConstraint(
            "allow_other = false OR kind = 'single_choice'", name="other_single_only"
        ),
        CheckConstraint("min_choices IS NULL OR min_choices >= 0", name="min_choices"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices"),
        CheckConstraint(
            "min_choices IS NULL OR max_choices IS NULL OR max_choices >= min_choices",
            name="choices_range",
        ),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR max_value >= min_value",
            name="value_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("text", "help_text")
    translations: Mapped[dict] = translations_column()
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    allow_other: Mapped[bool] = mapped_column(default=False)
    min_choices: Mapped[int | None] = mapped_column(Integer)
    max_choices: Mapped[int | None] = mapped_column(Integer)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    scale_labels: Mapped[list] = mapped_column(
        JSON, default=lambda: list(DEFAULT_SCALE_LABELS)
    )

    survey = relationship("Survey", back_populates="questions")
    all_options = relationship(
        "SurveyOption",
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="(SurveyOption.position, SurveyOption.id)",
    )

    @property
    def options(self) -> list[SurveyOption]:
        """Choices and ranking items, in order."""
        return [o for o in self.all_options if o.role == "option"]

    @property
    def statements(self) -> list[SurveyOption]:
        """Rows of a Likert matrix, in order."""
        return [o for o in self.all_options if o.role == "statement"]

    @property
    def labels(self) -> list[str]:
        """The five scale labels, the defaults where none are stored."""
        labels = list(self.scale_labels or [])
        return labels if len(labels) == 5 else list(DEFAULT_SCALE_LABELS)

    @property
    def own_scale_labels(self) -> list[tuple[int, str]]:
        """(point, label) of the labels written instead of the defaults: the
        ones to translate (consult.surveys.scale)."""
        return [
            (point, label)
            for point, label in enumerate(self.labels, 1)
            if label != DEFAULT_SCALE_LABELS[point - 1]
        ]


class SurveyOption(db.Model):
    """A choice or ranking item ('option'), or a Likert matrix row ('statement')."""

    __tablename__ = "survey_options"
    __table_args__ = (CheckConstraint(_in("role", OPTION_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("label",)
    translations: Mapped[dict] = translations_column()
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="option")

    question = relationship("SurveyQuestion", back_populates="all_options")


class SurveyResponse(Facilitated, db.Model):
    """One person's (or one public visitor's) answers to a survey; a named one
    may have been recorded by a facilitator (Facilitated)."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        # One response per registrant; NULLs (anonymous, public) never collide.
        UniqueConstraint("survey_id", "registration_id"),
        CheckConstraint(_in("status", RESPONSE_STATUSES), name="status"),
        CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)",
            name="submitted_at_iff_submitted",
        ),
        Index("ix_survey_responses_survey_status", "survey_id", "status"),
        CheckConstraint(CHANNEL_CHECK, name="channel"),
        # Anonymous and public responses name nobody, not even a facilitator.
        CheckConstraint(FACILITATED_NAMED_ONLY, name="facilitated_named_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    stakeholder_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_types.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    survey = relationship("Survey")
    registration = relationship("Registration")
    stakeholder_type = relationship("StakeholderType")
    answers = relationship(
        "SurveyAnswer",
        back_populates="response",
        cascade="all, delete-orphan",
        order_by="SurveyAnswer.id",
    )


class SurveyAnswer(db.Model):
    """One stored value of a response (see the module docstring for shapes)."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_options.id", ondelete="CASCADE"), index=True
    )
    number_value: Mapped[float | None] = mapped_column(Float)
    text_value: Mapped[str | None] = mapped_column(Text)

    response = relationship("SurveyResponse", back_populates="answers")
    question = relationship("SurveyQuestion")
    option = relationship("SurveyOption")


class SurveyParticipation(Facilitated, db.Model):
    """That a registrant answered a survey (with a facilitator, maybe: then
    facilitated_at is the day only when anonymous); never points at the response."""

    __tablename__ = "survey_participations"
    __table_args__ = (
        UniqueConstraint("survey_id", "registration_id"),
        CheckConstraint(CHANNEL_CHECK, name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    survey = relationship("Survey")
    registration = relationship("Registration")


class SurveyDraft(db.Model):
    """The unfinished answers of a registrant to an ANONYMOUS survey.

    Kept with the person (so they can finish later from any device) and
    deleted in the transaction that stores the unlinked response.
    """

    __tablename__ = "survey_drafts"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    # The form's raw values: {"q<id>": value or [values]}.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


INVITATION_CHANNELS = ("invitation", "follow_up")


class SurveyInvitation(db.Model):
    """When a registrant first received a message carrying a survey's link.

    The survey's invitation, or a follow-up after the event that links the
    survey: whichever came first. Survey reminders count from it and go only
    to people who have one, so "we have not yet received your answers" never
    arrives before the link, nor to someone who never had it.
    """

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("survey_id", "registration_id"),
        CheckConstraint("via IN ('invitation', 'follow_up')", name="via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    via: Mapped[str] = mapped_column(String(20))
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL")
    )
