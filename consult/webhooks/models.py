"""Webhook subscriptions of an event and the deliveries queued for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
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

# The facts a subscription may select, in the order the form lists them.
KINDS = (
    "registration.created",
    "registration.confirmed",
    "registration.waitlisted",
    "registration.promoted",
    "registration.cancelled",
    "attendance.imported",
    "input.submitted",
    "survey.response",
    "results.published",
)
# Sent only when an organiser asks for it ("send test ping").
PING = "ping"
SUBSCRIPTION_STATUSES = ("active", "paused")
DELIVERY_STATUSES = ("queued", "sending", "delivered", "failed")
URL_MAX = 500
RESPONSE_EXCERPT_BYTES = 500


class WebhookSubscription(db.Model):
    """One receiver address subscribed to some kinds of facts of one event.

    ``secret`` signs every delivery (HMAC-SHA256). It is stored as generated,
    in clear, because signing needs it back; it is shown once, when the
    subscription is made, and never again (a new one can be generated).
    """

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (CheckConstraint("status IN ('active', 'paused')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    # The organiser told when the subscription is paused for failures.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(String(URL_MAX))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="active")
    # Why it was paused: "" (by an organiser) or the failures that paused it.
    paused_reason: Mapped[str] = mapped_column(Text, default="")
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Failed attempts in a row, and when the first of them failed.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    event = relationship("Event")
    owner = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def __repr__(self) -> str:
        return f"<WebhookSubscription {self.id} {self.status}>"


class WebhookDelivery(db.Model):
    """One fact to send to one subscription: the outbox row of a webhook.

    ``body`` is the exact JSON sent, built when the fact happened, so every
    attempt and every re-send carries the same bytes under the same
    ``webhook_id`` (receivers drop duplicates by it). ``fact_key`` names the
    fact; one row per (subscription, fact).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "fact_key"),
        CheckConstraint(
            "status IN ('queued', 'sending', 'delivered', 'failed')", name="status"
        ),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    webhook_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    fact_key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column()
    # The first RESPONSE_EXCERPT_BYTES of the receiver's answer, as text.
    last_response: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_duration_ms: Mapped[int | None] = mapped_column()
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    subscription = relationship("WebhookSubscription")

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.kind} {self.status}>"
