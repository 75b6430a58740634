"""The transactional outbox and the scheduler's heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.content import text_in, translations_column
from consult.extensions import db
from consult.timeutil import UTCDateTime, now_utc

# "expired": never sent, because it could no longer arrive in time (send_before).
# "withdrawn": never sent, because when its turn came it was no longer right
# for its recipient (the registration it speaks of was erased, or changed).
EMAIL_STATUSES = ("queued", "sending", "sent", "failed", "expired", "withdrawn")
# A registrant's optional messages about an event (by template): the ones a
# List-Unsubscribe link stops. Registration emails (confirmation, moves,
# cancellations) are not among them.
OPTIONAL_TEMPLATES = (
    "reminder",
    "follow_up",
    "survey_reminder",
    "sms_reminder",
    "sms_follow_up",
)
# An event's scheduled messages: held in the outbox while the organiser has
# paused them (``Event.messages_paused_at``).
SCHEDULED_TEMPLATES = (*OPTIONAL_TEMPLATES, "reminder_organiser_nudge")
# Dedup keys of an organiser's test sends to themself: never held or withdrawn.
TEST_SEND_PREFIX = "test:"


class OutboundEmail(db.Model):
    """One message to one recipient, inserted in the transaction that caused it.

    Most messages are composed when queued. A message with a ``composer`` is
    composed by the sender when its turn comes (``composers.py``): the row
    records what to say (``params``: the kind, the template version) and about
    whom (``registration_id``), so the request that queues it does no
    rendering and the text carries the facts of the moment it leaves. Once
    composed, subject, bodies, attachments and ``composed_at`` (the message's
    Date) are stored, so what was sent stays inspectable and a resend after a
    crash is byte-identical.
    """

    __tablename__ = "outbound_emails"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed', 'expired', 'withdrawn')",
            name="status",
        ),
        Index("ix_outbound_emails_due", "status", "next_attempt_at"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "sms": a text message (consult/notifications/sms/): ``recipient`` is an
    # E.164 number, ``body_text`` the text, no subject, HTML or attachments.
    # It shares the claims, leases, retries and dedup keys of email.
    channel: Mapped[str] = mapped_column(
        String(10), default="email", server_default="email"
    )
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    template: Mapped[str] = mapped_column(String(100), default="")
    composer: Mapped[str] = mapped_column(String(40), default="", server_default="")
    params: Mapped[dict | None] = mapped_column(JSON, default=dict)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    # The locale the text was composed in (its Content-Language); '' for
    # none recorded (queued before languages followed people).
    language: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # When the text was composed (the message's Date); None: not yet.
    composed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    # The From display name and the Reply-To address of the message, fixed
    # when its text is: its event's (consult/notifications/sender.py), so a
    # resend is the same bytes. '' for the site's name and no Reply-To.
    sender_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    # While "sending": the claim expires at this instant; a row still "sending"
    # after it belonged to a sender that crashed and is queued again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    # False for a failure that sending again cannot cure (an address the mail
    # server cannot take, a message that cannot be built): no Retry for it.
    retryable: Mapped[bool] = mapped_column(default=True, server_default=true())
    # A message pointless after this instant (a reminder once the event has
    # started) is marked "expired" instead of being sent late.
    send_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The one-click unsubscribe link (RFC 8058) of an optional message
    # (a reminder, a follow-up): sent as List-Unsubscribe; '' for none.
    list_unsubscribe: Mapped[str] = mapped_column(
        String(500), default="", server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event")
    attachments = relationship(
        "OutboundAttachment",
        back_populates="email",
        cascade="all, delete-orphan",
        order_by="OutboundAttachment.id",
    )

    def __repr__(self) -> str:
        return f"<OutboundEmail {self.dedup_key} {self.status}>"


class OutboundAttachment(db.Model):
    """A file sent with an email.

    ``disposition`` is "attachment" for an ordinary file, or "alternative" for
    a body part placed inside multipart/alternative (a calendar invite's
    text/calendar part).
    """

    __tablename__ = "outbound_attachments"
    __table_args__ = (
        CheckConstraint(
            "disposition IN ('attachment', 'alternative')", name="disposition"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(255))
    disposition: Mapped[str] = mapped_column(String(20), default="attachment")
    content: Mapped[bytes] = mapped_column(LargeBinary)

    email = relationship("OutboundEmail", back_populates="attachments")


class SchedulerHeartbeat(db.Model):
    """Last sign of life of each scheduler job, for the health view."""

    __tablename__ = "scheduler_heartbeats"

    job: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    last_status: Mapped[str] = mapped_column(String(20), default="ok")
    last_error: Mapped[str] = mapped_column(Text, default="")
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(default=0)


PLAN_KINDS = ("reminder", "follow_up", "organiser_nudge")
PLAN_ANCHORS = ("start", "end")
PLAN_AUDIENCES = ("confirmed", "attendees", "absentees", "organisers")
DISPATCH_STATUSES = ("queued", "skipped")


class ReminderPlanItem(db.Model):
    """One reminder or follow-up of an event's plan: when, to whom, what.

    The due instant is never stored: it is the event's current start or end
    plus ``offset_minutes`` (negative means before), so moving the event
    re-times every item that has not been sent yet.
    """

    __tablename__ = "reminder_plan_items"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('reminder', 'follow_up', 'organiser_nudge')", name="kind"
        ),
        CheckConstraint("anchor IN ('start', 'end')", name="anchor"),
        CheckConstraint(
            "audience IN ('confirmed', 'attendees', 'absentees', 'organisers')",
            name="audience",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Texts in the event's other languages (consult/content.py).
    TRANSLATED = ("subject", "body", "sms_body")
    translations: Mapped[dict] = translations_column()
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    anchor: Mapped[str] = mapped_column(String(10))
    offset_minutes: Mapped[int] = mapped_column(Integer)
    # How late the item may still go out after its moment (the scheduler was
    # down, the person got their seat late); None: the default, a quarter of
    # the offset for reminders, a week for messages after the event.
    catch_up_margin_minutes: Mapped[int | None] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    # Stakeholder type keys; empty means every type.
    type_keys: Mapped[list] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The text message sent instead to people who chose SMS; '' for none.
    sms_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")

    def __repr__(self) -> str:
        return f"<ReminderPlanItem {self.id} {self.kind} {self.offset_minutes}>"

    def text(self, field: str) -> str:
        """The organiser's subject or body in the current language; '' when
        they wrote none (the catalogue's default text is used then, whatever
        translation may linger from an earlier text)."""
        return text_in(self, field) if getattr(self, field) else ""


class ReminderDispatch(db.Model):
    """What the engine decided for one plan item and one recipient, once.

    ``target`` is "r<registration id>" or "u<user id>" (organiser nudges); the
    unique (plan_item_id, target) pair is what makes the engine idempotent and
    safe to run twice at once.
    """

    __tablename__ = "reminder_dispatches"
    __table_args__ = (
        UniqueConstraint("plan_item_id", "target"),
        CheckConstraint("status IN ('queued', 'skipped')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(
        ForeignKey("reminder_plan_items.id", ondelete="CASCADE")
    )
    target: Mapped[str] = mapped_column(String(40))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())

    plan_item = relationship("ReminderPlanItem")
    email = relationship("OutboundEmail")
