"""Events, their organisers, partner cities and agenda."""

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
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.content import translations_column
from consult.extensions import db
from consult.timeutil import UTCDateTime, instant_in_range, now_utc

EVENT_STATUSES = ("draft", "published", "cancelled")


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="end_after_start"),
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        # The seat counter can never pass the capacity: the last line of
        # defence against overbooking, whatever a service does.
        CheckConstraint(
            "confirmed_count >= 0 AND (capacity IS NULL OR confirmed_count <= capacity)",
            name="confirmed_within_capacity",
        ),
        CheckConstraint(
            "waiting_count >= 0 AND waitlist_tail >= 0", name="waiting_counters"
        ),
        CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_closes_at > registration_opens_at",
            name="registration_window",
        ),
        CheckConstraint(
            "registration_closes_at IS NULL OR registration_closes_at <= end_at",
            name="registration_closes_by_end",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("title", "summary", "description_md")
    translations: Mapped[dict] = translations_column()
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description_md: Mapped[str] = mapped_column(Text, default="")
    host_city: Mapped[str] = mapped_column(String(120), default="")
    host_country: Mapped[str] = mapped_column(String(120), default="")
    # The city record of host_city (consult.cities), kept by the event
    # services whenever host_city changes; its action plan and page.
    host_city_id: Mapped[int | None] = mapped_column(
        ForeignKey("cities.id", ondelete="SET NULL"), index=True
    )
    # The programme the event belongs to (consult.programmes), if any.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    topics: Mapped[list] = mapped_column(JSON, default=list)
    # The language the event's own texts are written in, and the other
    # languages it offers them in (consult/content.py).
    default_language: Mapped[str] = mapped_column(
        String(16), default="en", server_default="en"
    )
    content_languages: Mapped[list] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    timezone: Mapped[str] = mapped_column(String(64))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    join_url: Mapped[str] = mapped_column(String(500), default="")
    # Joining by phone, for confirmed people only like the join URL:
    # [{"country": "MY", "number": "+60321234567", "label": "toll-free"}]
    # (consult/dial_in.py) and the access code callers key in.
    dial_in_numbers: Mapped[list] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    dial_in_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Shared after the event: public links, shown on the event page and in
    # the follow-up emails.
    slides_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    recording_url: Mapped[str] = mapped_column(
        String(500), default="", server_default=""
    )
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Registration settings (consult.registration keeps these consistent).
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The waiting list's size and the last place number handed out, kept by
    # database triggers on registrations (registration/waiting_counters.py)
    # whatever changes a status, so a newcomer's place is read from the locked
    # event row instead of counted from a list that grows with every arrival.
    # Read them from a fresh row after ``lock_event``: never set them.
    waiting_count: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlist_tail: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped by every change to the event (other than its seat counter), its
    # stakeholder types or its registration questions: the key under which a
    # process keeps the registration form's data (registration/services/
    # form_data.py).
    registration_version: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlist_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    requires_approval: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    privacy_notice_version: Mapped[str] = mapped_column(
        String(40), default="1", server_default="1"
    )
    attendance_threshold_minutes: Mapped[int] = mapped_column(
        default=10, server_default="10"
    )
    # When attendance was declared complete (an import applied, or the
    # organiser's button); follow-ups to attendees and absentees wait for it.
    # A check-in alone never sets it. ``attendance_completed_via``: "import"
    # or "organiser".
    attendance_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_completed_via: Mapped[str] = mapped_column(
        String(20), default="", server_default=""
    )
    # Bumped whenever time, title or join URL of a published event changes
    # (calendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")
    # Set while the organiser has paused the event's scheduled messages
    # (reminders, follow-ups, survey reminders): nothing of theirs is queued
    # or sent until resumed. Transactional emails are not paused.
    messages_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    messages_paused_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Who the event's emails say they are from: the display name of the
    # site's own From address (never another address), and where replies go.
    # '' for the site's name and no Reply-To (consult/notifications/sender.py).
    email_sender_name: Mapped[str] = mapped_column(
        String(120), default="", server_default=""
    )
    email_reply_to: Mapped[str] = mapped_column(
        String(254), default="", server_default=""
    )

    owner = relationship("User", foreign_keys=[owner_id])
    city = relationship("City")
    programme = relationship("Programme", back_populates="events")
    messages_paused_by = relationship("User", foreign_keys=[messages_paused_by_id])
    co_organisers = relationship(
        "EventOrganiser", back_populates="event", cascade="all, delete-orphan"
    )
    partner_cities = relationship(
        "PartnerCity",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="PartnerCity.position",
    )
    sessions = relationship(
        "AgendaSession",
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(AgendaSession.start_at, AgendaSession.id)",
    )

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def dates_in_range(self) -> bool:
        """False for an event stored before dates were bounded (year 1, 9999...):
        its calendar file, reminders and registration wait until it is corrected."""
        moments = (
            self.start_at,
            self.end_at,
            self.registration_opens_at,
            self.registration_closes_at,
        )
        return all(instant_in_range(moment) for moment in moments)

    @property
    def agenda_in_range(self) -> bool:
        """`dates_in_range`, and the agenda's sessions too (calendar files)."""
        return self.dates_in_range and all(
            instant_in_range(moment)
            for session in self.sessions
            for moment in (session.start_at, session.end_at)
        )

    def __repr__(self) -> str:
        return f"<Event {self.slug} {self.status}>"


class EventOrganiser(db.Model):
    """A co-organiser: a user other than the owner who may manage the event."""

    __tablename__ = "event_organisers"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event", back_populates="co_organisers")
    user = relationship("User")


class PartnerCity(db.Model):
    __tablename__ = "partner_cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)
    # The city record of the name above, kept by the event services like
    # the host city's (consult.cities.services.city_for_host).
    city_id: Mapped[int | None] = mapped_column(
        ForeignKey("cities.id", ondelete="SET NULL"), index=True
    )

    event = relationship("Event", back_populates="partner_cities")
    city = relationship("City")


class AgendaSession(db.Model):
    __tablename__ = "agenda_sessions"
    __table_args__ = (CheckConstraint("end_at > start_at", name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("title", "description_md")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())

    event = relationship("Event", back_populates="sessions")
    speakers = relationship(
        "Speaker",
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="Speaker.position",
    )


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    session = relationship("AgendaSession", back_populates="speakers")


class PrivacyNotice(db.Model):
    """One version of an event's privacy notice; a changed text is a new row.

    ``events.privacy_notice_version`` names the current number, and each
    consent records the number it was given under, so every consent points to
    the text the person read (consult/events/services/privacy.py).
    """

    __tablename__ = "privacy_notices"
    __table_args__ = (
        UniqueConstraint("event_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    created_by = relationship("User")
