"""The steps of delivering webhooks; ``jobs.deliver_webhooks`` runs them and commits.

A due row is claimed (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two runs
at once never take the same row; on SQLite the write transaction serialises
them) with a lease, and the claim committed before any network I/O. The POST
goes to the address checked at that moment (``targets.py``), with a timeout;
a 2xx answer delivers the row, anything else schedules a retry with
exponential backoff until ``WEBHOOK_MAX_ATTEMPTS``. A row still "sending" when
its lease ran out belonged to a run that stopped, and is queued again.

Delivery is at least once: a receiver drops a repeat by ``Consult-Webhook-Id``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from consult.extensions import db
from consult.webhooks.models import (
    RESPONSE_EXCERPT_BYTES,
    WebhookDelivery,
    WebhookSubscription,
)
from consult.webhooks.signing import headers_for
from consult.webhooks.targets import (
    RefusedTarget,
    connection_to,
    parse_url,
    resolve,
)

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 6 * 3600
FAILING_SPAN = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """A claimed row with what sending needs, detached from the session."""

    delivery_id: int
    subscription_id: int
    webhook_id: str
    url: str
    secret: str
    body: str
    attempts: int
    lease: datetime


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave."""

    delivered: bool
    status_code: int | None = None
    response: str = ""
    error: str = ""
    duration_ms: int = 0


@dataclass
class WebhookReport:
    requeued: int = 0
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    paused: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"delivered {self.delivered}, retried {self.retried}, "
            f"failed {self.failed}, requeued {self.requeued}, "
            f"paused {len(self.paused)}"
        )


def backoff_delay(attempts: int) -> timedelta:
    """1 minute after the first failed attempt, then 2, 4, ... capped at 6 hours."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def requeue_expired(*, now: datetime) -> int:
    """Rows left "sending" by a run that stopped go back to the queue."""
    return db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.status == "sending",
            WebhookDelivery.lease_expires_at < now,
        )
        .values(status="queued", lease_expires_at=None, next_attempt_at=now)
    ).rowcount


def claim_due(*, now: datetime, limit: int) -> list[Claim]:
    """Take up to ``limit`` due rows of active subscriptions; flushes."""
    lease = now + timedelta(seconds=current_app.config["WEBHOOK_LEASE_SECONDS"])
    rows = db.session.execute(
        select(WebhookDelivery, WebhookSubscription)
        .join(WebhookSubscription)
        .where(
            WebhookDelivery.status == "queued",
            WebhookDelivery.next_attempt_at <= now,
            WebhookSubscription.status == "active",
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    ).all()
    claims = []
    for delivery, subscription in rows:
        delivery.status = "sending"
        delivery.lease_expires_at = lease
        delivery.attempts += 1
        claims.append(
            Claim(
                delivery.id,
                subscription.id,
                delivery.webhook_id,
                subscription.url,
                subscription.secret,
                delivery.body,
                delivery.attempts,
                lease,
            )
        )
    db.session.flush()
    return claims


def post(claim: Claim, *, now: datetime) -> Outcome:
    """POST one claimed delivery; never raises for the receiver's faults."""
    config = current_app.config
    allow_local = bool(config["WEBHOOK_ALLOW_HTTP_LOCALHOST"])
    started = time.monotonic()
    try:
        target = parse_url(claim.url, allow_local=allow_local)
        address = resolve(target, allow_local=allow_local)
    except RefusedTarget as exc:
        return Outcome(False, error=f"refused: {exc}")
    body = claim.body.encode()
    headers = headers_for(claim.webhook_id, claim.secret, claim.body, now)
    connection = connection_to(
        target, address, timeout=config["WEBHOOK_TIMEOUT_SECONDS"]
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT_BYTES)
        status = response.status
    except TimeoutError:
        return Outcome(False, error="timed out", duration_ms=_since(started))
    except (OSError, ValueError) as exc:
        return Outcome(
            False,
            error=f"{type(exc).__name__}: {exc}"[:500],
            duration_ms=_since(started),
        )
    finally:
        connection.close()
    return Outcome(
        200 <= status < 300,
        status_code=status,
        response=excerpt.decode("utf-8", "replace"),
        error="" if 200 <= status < 300 else f"HTTP {status}",
        duration_ms=_since(started),
    )


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def record(claim: Claim, outcome: Outcome, *, now: datetime) -> str:
    """Store an attempt's outcome if this run still owns the row; flushes.

    Returns "delivered", "retried", "failed" or "" (the lease was lost).
    """
    max_attempts = current_app.config["WEBHOOK_MAX_ATTEMPTS"]
    values = {
        "last_attempt_at": now,
        "last_status_code": outcome.status_code,
        "last_response": outcome.response,
        "last_error": outcome.error,
        "last_duration_ms": outcome.duration_ms,
        "lease_expires_at": None,
    }
    if outcome.delivered:
        values.update(status="delivered", delivered_at=now)
        result = "delivered"
    elif claim.attempts >= max_attempts:
        values.update(status="failed")
        result = "failed"
    else:
        values.update(
            status="queued", next_attempt_at=now + backoff_delay(claim.attempts)
        )
        result = "retried"
    owned = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == claim.delivery_id,
            WebhookDelivery.status == "sending",
            WebhookDelivery.lease_expires_at == claim.lease,
        )
        .values(**values)
    ).rowcount
    if not owned:
        return ""
    _count_on_subscription(claim.subscription_id, outcome.delivered, now=now)
    db.session.flush()
    return result


def _count_on_subscription(subscription_id: int, delivered: bool, *, now) -> None:
    table = WebhookSubscription.__table__
    if delivered:
        statement = (
            update(table)
            .where(table.c.id == subscription_id)
            .values(consecutive_failures=0, failing_since=None)
        )
    else:
        statement = (
            update(table)
            .where(table.c.id == subscription_id)
            .values(
                consecutive_failures=table.c.consecutive_failures + 1,
                failing_since=db.func.coalesce(table.c.failing_since, now),
            )
        )
    db.session.execute(statement)


def pause_if_failing(
    subscription_id: int, *, now: datetime
) -> WebhookSubscription | None:
    """Pause an active subscription that keeps failing; the paused row, or None.

    Failing: ``WEBHOOK_PAUSE_AFTER_FAILURES`` failed attempts in a row, or
    failures without a success for 24 hours.
    """
    row = db.session.get(WebhookSubscription, subscription_id, populate_existing=True)
    if row is None or row.status != "active" or not row.consecutive_failures:
        return None
    limit = current_app.config["WEBHOOK_PAUSE_AFTER_FAILURES"]
    too_many = row.consecutive_failures >= limit
    too_long = row.failing_since is not None and now - row.failing_since >= FAILING_SPAN
    if not (too_many or too_long):
        return None
    row.status, row.paused_at = "paused", now
    row.paused_reason = "failures" if too_many else "failing_day"
    row.updated_at = now
    db.session.flush()
    return row
