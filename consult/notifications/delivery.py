"""The outbox dispatcher: claim due rows, send each, record what happened.

``deliver_outbox`` is a job, so it is a unit-of-work edge and commits: the
claim is committed before any network I/O (so no lock or SQLite write
transaction is held while talking to a mail server), and each outcome is
recorded in its own short transaction.

Delivery is at-least-once: a crash after the server's 250 reply resends the
message later, under the same Message-ID so clients can drop the duplicate.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import selectinload

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.claims import (
    ERROR_MAX,
    Claim,
    backoff_delay,
    compose_claimed,
    parts_of,
)
from consult.notifications.mime import build_message
from consult.notifications.models import (
    SCHEDULED_TEMPLATES,
    TEST_SEND_PREFIX,
    OutboundEmail,
)
from consult.notifications.sms.transport import open_sms_transport
from consult.notifications.transport import (
    ConnectionFailure,
    PermanentFailure,
    TemporaryFailure,
    Undeliverable,
    open_transport,
)

log = logging.getLogger(__name__)

__all__ = ["DeliveryReport", "backoff_delay", "deliver_outbox", "drain_outbox"]


@dataclass
class DeliveryReport:
    """What one run of the dispatcher did."""

    requeued: int = 0
    expired: int = 0
    claimed: int = 0
    withdrawn: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    server_lost: bool = False  # the mail server went away during the batch
    batches: int = 1

    def __str__(self) -> str:
        text = (
            f"sent {self.sent}, retried {self.retried}, failed {self.failed}, "
            f"requeued {self.requeued}, expired {self.expired}, "
            f"withdrawn {self.withdrawn}"
        )
        return text if self.batches == 1 else f"{text} in {self.batches} batches"

    def add(self, other: DeliveryReport) -> None:
        """Count another batch's outcomes in this report."""
        for name in ("requeued", "expired", "claimed", "withdrawn", "sent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.retried += other.retried
        self.failed += other.failed
        self.errors += other.errors
        self.server_lost = self.server_lost or other.server_lost
        self.batches += other.batches


def drain_outbox(*, now: datetime, seconds: float) -> DeliveryReport:
    """Send batch after batch while whole batches are due, for up to ``seconds``.

    A round of reminders for a large event queues thousands of messages at
    once; one batch per scheduler interval would send the last of them many
    minutes late. A batch smaller than ``OUTBOX_BATCH_SIZE`` means nothing more
    is due; a mail server that went away stops the run (its messages wait for
    their retry time). Each batch's ``now`` moves on with the time spent.
    """
    batch = current_app.config["OUTBOX_BATCH_SIZE"]
    started = time.monotonic()
    total = deliver_outbox(now=now)
    while (
        total.claimed == batch * total.batches
        and not total.server_lost
        and (spent := time.monotonic() - started) < seconds
    ):
        total.add(deliver_outbox(now=now + timedelta(seconds=spent)))
    return total


def deliver_outbox(*, now: datetime, limit: int | None = None) -> DeliveryReport:
    """Send due emails; a job, so it commits (see the module docstring)."""
    config = current_app.config
    report = DeliveryReport()
    report.requeued = _requeue_expired(
        now=now, max_attempts=config["OUTBOX_MAX_ATTEMPTS"]
    )
    report.expired = _expire_late(now=now)
    db.session.commit()
    claims = _claim_due(now=now, limit=limit or config["OUTBOX_BATCH_SIZE"])
    db.session.commit()
    # Stop well before the lease runs out (composing included), so no other
    # dispatcher re-queues (and sends again) a message this one still holds.
    deadline = time.monotonic() + 0.8 * config["OUTBOX_LEASE_SECONDS"]
    report.claimed = len(claims)
    claims = compose_claimed(claims, now=now, report=report)
    if not claims:
        return report
    with (
        open_transport(current_app) as mail_transport,
        open_sms_transport(current_app) as sms_transport,
    ):
        for index, claim in enumerate(claims):
            transport = sms_transport if claim.channel == "sms" else mail_transport
            if time.monotonic() > deadline:
                for pending in claims[index:]:
                    _release(pending, now=now)
                log.warning(
                    "outbox: lease nearly over, %d left for the next run",
                    len(claims) - index,
                )
                break
            lost = _send_one(transport, claim, now=now, report=report)
            if lost:
                report.server_lost = True
                # The server is unreachable or stalled: every claim left in this
                # batch would wait for the same timeout, so give them all back,
                # later, without spending attempts nobody made (an outage must
                # not use up every queued message's attempts).
                retry_at = now + backoff_delay(claim.attempts)
                for pending in claims[index + 1 :]:
                    _defer(pending, until=retry_at, error=lost, report=report)
                break
    return report


def _send_one(
    transport, claim: Claim, *, now: datetime, report: DeliveryReport
) -> str | None:
    """Send one claimed message and record the outcome; the error if the server is gone."""
    try:
        if claim.channel == "sms":
            transport.send(claim.parts, claim.email_id, claim.date or now)
        else:
            message = build_message(claim.parts, date=claim.date or now)
            transport.send(message, claim.parts, claim.email_id)
    except ConnectionFailure as exc:
        _record_retry(claim, now=now, error=str(exc), report=report)
        return str(exc)
    except TemporaryFailure as exc:
        _record_retry(claim, now=now, error=str(exc), report=report)
    except Undeliverable as exc:
        _record_failed(claim, error=str(exc), report=report, retryable=False)
    except PermanentFailure as exc:
        _record_failed(claim, error=str(exc), report=report)
    except (ValueError, UnicodeError, LookupError) as exc:  # not a valid message
        # Built again from the same row, it would fail the same way.
        _record_failed(
            claim,
            error=f"cannot build message: {exc}",
            report=report,
            retryable=False,
        )
    except Exception as exc:
        # One broken row must not stall the rest of the batch in "sending".
        log.exception("outbox: unexpected error sending email %s", claim.email_id)
        _record_failed(claim, error=f"unexpected error: {exc!r}", report=report)
    else:
        _record_sent(claim, now=now, report=report)
    return None


def _requeue_expired(*, now: datetime, max_attempts: int) -> int:
    """Rows left in "sending" by a sender that crashed go back to the queue."""
    stuck = (OutboundEmail.status == "sending", OutboundEmail.lease_expires_at < now)
    gave_up = db.session.execute(
        update(OutboundEmail)
        .where(*stuck, OutboundEmail.attempts >= max_attempts)
        .values(
            status="failed",
            lease_expires_at=None,
            last_error="Sender stopped during the last allowed attempt.",
        )
    ).rowcount
    requeued = db.session.execute(
        update(OutboundEmail)
        .where(*stuck)
        .values(status="queued", lease_expires_at=None, next_attempt_at=now)
    ).rowcount
    if gave_up or requeued:
        log.warning("outbox: %d stale sends requeued, %d given up", requeued, gave_up)
    return requeued


def _expire_late(*, now: datetime) -> int:
    """Queued messages whose moment has passed are marked, with the reason, not sent."""
    late = db.session.scalars(
        select(OutboundEmail)
        .where(
            OutboundEmail.status == "queued",
            OutboundEmail.send_before.isnot(None),
            OutboundEmail.send_before <= now,
        )
        .with_for_update(skip_locked=True, of=OutboundEmail)
    ).all()
    for row in late:
        row.status = "expired"
        row.last_error = (
            f"Not sent: it could not leave before {row.send_before:%Y-%m-%d %H:%M} "
            "UTC (for a reminder, the start of the event); "
            + (f"last error: {row.last_error}" if row.last_error else "no attempt")
        )[:ERROR_MAX]
    if late:
        log.warning("outbox: %d messages expired unsent", len(late))
    db.session.flush()
    return len(late)


def _claim_due(*, now: datetime, limit: int) -> list[Claim]:
    # SKIP LOCKED lets several dispatchers share the queue on PostgreSQL; on
    # SQLite the write transaction (BEGIN IMMEDIATE) already serialises them.
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    rows = db.session.scalars(
        select(OutboundEmail)
        .where(
            OutboundEmail.status == "queued",
            OutboundEmail.next_attempt_at <= now,
            ~held_while_paused(),
        )
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboundEmail)
        .options(selectinload(OutboundEmail.attachments))
    ).all()
    claims = []
    for row in rows:
        row.status = "sending"
        row.lease_expires_at = lease
        row.attempts += 1
        composed = row.composed_at is not None
        claims.append(
            Claim(
                row.id,
                lease,
                row.attempts,
                parts_of(row, sender) if composed else None,
                row.composed_at,
                # Composed before and claimed again: a retry, checked again.
                recheck=composed and bool(row.composer),
                channel=row.channel,
            )
        )
    db.session.flush()
    return claims


def held_while_paused():
    """The condition of a queued message held because its event's messages are paused.

    An event's scheduled messages (reminders, follow-ups, survey reminders)
    wait in the queue while an organiser has paused them; resuming releases
    them (``controls.resume_messages`` first withdraws those whose moment
    passed). An organiser's test send to themself is never held.
    """
    return and_(
        OutboundEmail.template.in_(SCHEDULED_TEMPLATES),
        ~OutboundEmail.dedup_key.startswith(TEST_SEND_PREFIX),
        exists().where(
            Event.id == OutboundEmail.event_id, Event.messages_paused_at.isnot(None)
        ),
    )


def _finish(claim: Claim, **values) -> bool:
    """Update the row if our claim still holds, and commit. False if it was lost."""
    # A plain Core statement on the session's connection: no ORM bookkeeping
    # (this runs once per message, and the claimed objects are not needed).
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # One short transaction per message, so a killed sender resends at most
        # the message in flight. Not waiting for the WAL flush makes each about
        # twice as fast; a database crash could forget the last outcomes, and
        # those messages go out again under the same Message-ID (at-least-once).
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
    updated = connection.execute(
        update(OutboundEmail.__table__)
        .where(
            OutboundEmail.__table__.c.id == claim.email_id,
            OutboundEmail.__table__.c.status == "sending",
            OutboundEmail.__table__.c.lease_expires_at == claim.lease,
        )
        .values(lease_expires_at=None, **values)
    ).rowcount
    db.session.commit()
    if not updated:
        log.warning(
            "outbox: lease on email %s expired before its outcome", claim.email_id
        )
    return bool(updated)


def _release(claim: Claim, *, now: datetime) -> None:
    """Give an unattempted claim back, without spending one of its attempts."""
    _finish(claim, status="queued", next_attempt_at=now, attempts=claim.attempts - 1)


def _defer(
    claim: Claim, *, until: datetime, error: str, report: DeliveryReport
) -> None:
    """Give an unattempted claim back for later, without spending an attempt."""
    _finish(
        claim,
        status="queued",
        next_attempt_at=until,
        attempts=claim.attempts - 1,
        last_error=error[:ERROR_MAX],
    )
    report.retried += 1


def _record_sent(claim: Claim, *, now: datetime, report: DeliveryReport) -> None:
    _finish(claim, status="sent", sent_at=now, last_error="")
    report.sent += 1


def _record_retry(
    claim: Claim, *, now: datetime, error: str, report: DeliveryReport
) -> None:
    if claim.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        _record_failed(
            claim,
            error=f"gave up after {claim.attempts} attempts: {error}",
            report=report,
        )
        return
    _finish(
        claim,
        status="queued",
        next_attempt_at=now + backoff_delay(claim.attempts),
        last_error=error[:ERROR_MAX],
    )
    report.retried += 1
    report.errors.append(error)
    log.info("outbox: email %s will be retried: %s", claim.email_id, error)


def _record_failed(
    claim: Claim, *, error: str, report: DeliveryReport, retryable: bool = True
) -> None:
    _finish(claim, status="failed", last_error=error[:ERROR_MAX], retryable=retryable)
    report.failed += 1
    report.errors.append(error)
    log.warning("outbox: email %s failed permanently: %s", claim.email_id, error)
