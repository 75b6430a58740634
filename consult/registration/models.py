"""Registrations by stakeholder type, type-specific questions, attendance imports."""

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
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.content import translations_column
from consult.extensions import db
from consult.registration.waiting_counters import install as install_waiting_counters
from consult.timeutil import UTCDateTime, now_utc

REGISTRATION_STATUSES = ("pending", "confirmed", "waitlisted", "rejected", "cancelled")
ROLES = ("attendee", "expert")
QUESTION_KINDS = ("text", "choice", "yes_no")
# How a facilitator reached a person they registered or recorded answers for.
CHANNELS = ("in_person", "phone", "paper", "sms")
# The public registrations told apart by their phone number (see Registration).
PHONE_ONLY = "email IS NULL AND NOT assisted AND phone <> ''"
CHANNEL_CHECK = "channel IS NULL OR channel IN ('in_person', 'phone', 'paper', 'sms')"


class Facilitated:
    """Columns of a record a facilitator made on a person's behalf
    (consult.facilitators): who, how they reached the person, and when."""

    facilitated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    channel: Mapped[str | None] = mapped_column(String(20))
    facilitated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# Defaults for a new event: (key, label, description, target share in percent).
DEFAULT_STAKEHOLDER_TYPES = (
    ("government", "Government & public agencies",
     "National, state and local government, public agencies and utilities.", 25),
    ("private", "Private sector",
     "Companies, business associations, start-ups and social enterprises.", 20),
    ("research", "Research & academia",
     "Universities, research institutes and think tanks.", 20),
    ("civil_society", "Civil society & NGOs",
     "Non-governmental organisations, community and citizens' groups, media.", 20),
    ("informal", "Informal sector & community groups",
     "Waste pickers, informal collectors and traders, vulnerable groups and "
     "their representatives.", 15),
)  # fmt: skip


class StakeholderType(db.Model):
    """A stakeholder group of one event, with its target share and optional cap."""

    __tablename__ = "stakeholder_types"
    __table_args__ = (
        UniqueConstraint("event_id", "key"),
        CheckConstraint(
            "target_share >= 0 AND target_share <= 100", name="target_share"
        ),
        CheckConstraint("cap IS NULL OR cap >= 0", name="cap"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("label", "description")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    target_share: Mapped[int] = mapped_column(default=0)  # percent of confirmed
    cap: Mapped[int | None] = mapped_column(Integer)  # confirmed seats, or none
    position: Mapped[int] = mapped_column(default=0)

    event = relationship("Event")


class RegistrationQuestion(db.Model):
    """An organiser's extra question, shown for chosen stakeholder types."""

    __tablename__ = "registration_questions"
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'choice', 'yes_no')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("label", "help_text")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20), default="text")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    # Stakeholder type keys this question is shown for; empty means everyone.
    type_keys: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)


class Registration(db.Model):
    """One person's registration for one event."""

    __tablename__ = "registrations"
    __table_args__ = (
        # One registration per (normalised) email per event. Assisted
        # registrations may have no email: NULLs never collide.
        UniqueConstraint("event_id", "email"),
        # FIFO waiting list: one person per position.
        UniqueConstraint("event_id", "waitlist_position"),
        UniqueConstraint("manage_nonce"),
        CheckConstraint(
            "status IN ('pending', 'confirmed', 'waitlisted', 'rejected', 'cancelled')",
            name="status",
        ),
        CheckConstraint("role IN ('attendee', 'expert')", name="role"),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)",
            name="waitlist_position_iff_waitlisted",
        ),
        CheckConstraint(
            "email IS NOT NULL OR phone <> '' OR assisted OR erased_at IS NOT NULL",
            name="contact_unless_assisted",
        ),
        # One public registration per phone number per event among those
        # without an email (people registered with an email are told apart
        # by it). Assisted and facilitated registrations are left out: a
        # family or a community often shares one phone.
        Index(
            "uq_registrations_event_phone_only",
            "event_id",
            "phone",
            unique=True,
            sqlite_where=text(PHONE_ONLY),
            postgresql_where=text(PHONE_ONLY),
        ),
        CheckConstraint(CHANNEL_CHECK, name="channel"),
        CheckConstraint(
            "facilitated_by_id IS NULL OR assisted", name="facilitated_is_assisted"
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    stakeholder_type_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder_types.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="attendee")
    status: Mapped[str] = mapped_column(String(20))
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    status_reason: Mapped[str] = mapped_column(Text, default="")

    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    # E.164 (consult/phones.py) for registrations since SMS; older assisted
    # registrations may hold the number as the organiser typed it.
    phone: Mapped[str] = mapped_column(String(40), default="")
    # When the person ticked "Send me SMS about this event"; None: no SMS.
    sms_consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a STOP reply from their number turned SMS off (consult/notifications/sms).
    sms_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    organisation: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The language of every message to this person (one of LANGUAGES); None:
    # the site's default (consult.i18n.recipient_locale).
    language: Mapped[str | None] = mapped_column(String(20))
    needs_interpretation: Mapped[str] = mapped_column(String(200), default="")
    needs_captions: Mapped[bool] = mapped_column(default=False)
    other_needs: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question id -> value

    privacy_notice_version: Mapped[str] = mapped_column(String(40))
    privacy_consented_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_recording: Mapped[bool] = mapped_column(default=False)
    consent_listing: Mapped[bool] = mapped_column(default=False)
    consent_followup: Mapped[bool] = mapped_column(default=False)

    assisted: Mapped[bool] = mapped_column(default=False)
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # A facilitator's registration (consult.facilitators): who registered the
    # person, and how they reached them; created_at is when.
    facilitated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str | None] = mapped_column(String(20))
    # Part of the signed manage link; replaced to revoke old links (erasure).
    manage_nonce: Mapped[str] = mapped_column(String(64))
    # Part of the signed private calendar feed URL; replaced to revoke the feed.
    # NULL until the first revocation (the token then carries an empty nonce).
    feed_nonce: Mapped[str | None] = mapped_column(String(64))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended_minutes: Mapped[int | None] = mapped_column(Integer)
    attended: Mapped[bool] = mapped_column(default=False)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The organiser who erased the person's data on their request (None: the
    # person erased it themselves, or nobody did).
    erased_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # When the person unsubscribed from this event's optional messages
    # (reminders, follow-ups, survey reminders) with their List-Unsubscribe
    # link; emails about their registration itself still reach them.
    messages_opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    stakeholder_type = relationship("StakeholderType")
    # Who registered the person for them: an organiser or a facilitator.
    assisted_by = relationship("User", foreign_keys=[assisted_by_id])
    erased_by = relationship("User", foreign_keys=[erased_by_id])

    @property
    def came_through(self) -> str:
        """Like counting.how_registered: online, assisted or a channel."""
        return self.channel or ("assisted" if self.assisted else "online")

    @property
    def waitlist_place(self) -> int | None:
        """Place in the queue (1 = next), counting only people still waiting.

        Positions are never renumbered, so after promotions position 7 can
        be first in line; this is the number to show the person.
        """
        if self.status != "waitlisted" or self.waitlist_position is None:
            return None
        return db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == self.event_id,
                Registration.status == "waitlisted",
                Registration.waitlist_position <= self.waitlist_position,
            )
        )

    @property
    def sms_allowed(self) -> bool:
        """Whether text messages may go to this person's number."""
        return bool(
            self.phone
            and self.sms_consented_at is not None
            and self.sms_stopped_at is None
            and self.erased_at is None
        )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class AttendanceImport(db.Model):
    """A Zoom or Teams participant report applied to an event."""

    __tablename__ = "attendance_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))  # "zoom" or "teams"
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    threshold_minutes: Mapped[int] = mapped_column(default=10)
    matched: Mapped[int] = mapped_column(default=0)
    unmatched: Mapped[int] = mapped_column(default=0)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)


class CancellationUndo(db.Model):
    """An organiser's cancellation that may still be undone, with what it changed.

    Its emails wait in the outbox until ``undo_until``. ``batch`` groups the
    people cancelled by one action, undone together. ``promoted``: [id,
    waiting-list position] of those the freed seat went to; ``held`` and
    ``withdrawn``: the outbox rows it delayed and withdrew.
    """

    __tablename__ = "cancellation_undos"
    __table_args__ = (
        CheckConstraint(
            "previous_status IN ('pending', 'confirmed', 'waitlisted')",
            name="previous_status",
        ),
        Index("ix_cancellation_undos_event_batch", "event_id", "batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    batch: Mapped[str] = mapped_column(String(32))
    previous_status: Mapped[str] = mapped_column(String(20))
    previous_position: Mapped[int | None] = mapped_column(Integer)
    previous_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    promoted: Mapped[list] = mapped_column(JSON, default=list)
    held: Mapped[list] = mapped_column(JSON, default=list)
    withdrawn: Mapped[list] = mapped_column(JSON, default=list)
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    undo_until: Mapped[datetime] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()


# The event's waiting-list counters follow every status change (see the module).
install_waiting_counters(Registration.__table__)
