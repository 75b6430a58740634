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
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from consult.database import write_intent
from consult.extensions import db
from consult.notifications.composers import Composed, Withdrawn, compose
from consult.notifications.mime import (
    SUBJECT_MAX,
    EmailAttachment,
    MessageParts,
    build_message,
    clean_header_text,
)
from consult.notifications.models import OutboundAttachment, OutboundEmail
from consult.notifications.transport import (
    ConnectionFailure,
    PermanentFailure,
    TemporaryFailure,
    Undeliverable,
    open_transport,
)

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 4 * 3600
ERROR_MAX = 1000


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

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retried {self.retried}, failed {self.failed}, "
            f"requeued {self.requeued}, expired {self.expired}, "
            f"withdrawn {self.withdrawn}"
        )


@dataclass(frozen=True)
class _Claim:
    """A claimed row, detached from the session so sending touches no database."""

    email_id: int
    lease: datetime
    attempts: int
    # None until a message queued for its composer has been composed.
    parts: MessageParts | None
    # The message's Date: when it was composed, the same on every attempt.
    date: datetime | None = None


def backoff_delay(attempts: int) -> timedelta:
    """1 min after the first failed attempt, then 2, 4, ... capped at 4 hours."""
    exponent = max(attempts - 1, 0)
    seconds = BACKOFF_BASE_SECONDS * 2 ** min(exponent, 20)
    return timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


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
    report.claimed = len(claims)
    claims = _compose_claimed(claims, now=now, report=report)
    if not claims:
        return report
    # Stop well before the lease runs out, so no other dispatcher re-queues
    # (and sends again) a message this one is still working through.
    deadline = time.monotonic() + 0.8 * config["OUTBOX_LEASE_SECONDS"]
    with open_transport(current_app) as transport:
        for index, claim in enumerate(claims):
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
    transport, claim: _Claim, *, now: datetime, report: DeliveryReport
) -> str | None:
    """Send one claimed message and record the outcome; the error if the server is gone."""
    try:
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


def _claim_due(*, now: datetime, limit: int) -> list[_Claim]:
    # SKIP LOCKED lets several dispatchers share the queue on PostgreSQL; on
    # SQLite the write transaction (BEGIN IMMEDIATE) already serialises them.
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    rows = db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.status == "queued", OutboundEmail.next_attempt_at <= now)
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
            _Claim(
                row.id,
                lease,
                row.attempts,
                _parts_of(row, sender) if composed else None,
                row.composed_at,
            )
        )
    db.session.flush()
    return claims


def _parts_of(
    row: OutboundEmail, sender: str, composed: Composed | None = None
) -> MessageParts:
    if composed is None:
        attachments = tuple(
            EmailAttachment(a.filename, a.content_type, a.content, a.disposition)
            for a in row.attachments
        )
        subject, text, html = row.subject, row.body_text, row.body_html
    else:
        attachments = composed.attachments
        subject, text, html = composed.subject, composed.body_text, composed.body_html
    return MessageParts(
        sender=sender,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=subject,
        message_id=row.message_id,
        body_text=text,
        body_html=html,
        attachments=attachments,
    )


def _compose_claimed(
    claims: list[_Claim], *, now: datetime, report: DeliveryReport
) -> list[_Claim]:
    """Compose the claimed messages queued for a composer, and store their text.

    Composing only reads (on SQLite in a deferred transaction, so requests
    that write are not held up meanwhile); the text is then stored in one
    short write transaction for the batch, before anything is sent, so a later
    attempt sends the same bytes and the outbox shows what was sent. A message
    its composer withdraws is marked, with the reason, and not sent. Returns
    the claims ready to send.
    """
    waiting = {claim.email_id: claim for claim in claims if claim.parts is None}
    if not waiting:
        return claims
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    outcomes: list[tuple[_Claim, MessageParts | None, Composed | None, dict]] = []
    with write_intent(False):
        rows = db.session.scalars(
            select(OutboundEmail).where(OutboundEmail.id.in_(waiting))
        ).all()
        for row in rows:
            claim = waiting[row.id]
            outcome = _compose_one(row, claim, sender, now=now, report=report)
            outcomes.append((claim, *outcome))
        db.session.rollback()  # end the reading transaction
    ready: dict[int, _Claim] = {}
    for claim, parts, composed, values in outcomes:
        if composed is None:
            _store_outcome(claim, **values)
        elif _store_text(claim, composed, now=now):
            ready[claim.email_id] = _Claim(
                claim.email_id, claim.lease, claim.attempts, parts, now
            )
    db.session.commit()
    return [
        ready[claim.email_id] if claim.email_id in waiting else claim
        for claim in claims
        if claim.email_id not in waiting or claim.email_id in ready
    ]


def _compose_one(
    row: OutboundEmail, claim: _Claim, sender: str, *, now: datetime, report
) -> tuple[MessageParts | None, Composed | None, dict]:
    """(parts, text, {}) for a composed row, or (None, None, the outcome to record)."""
    try:
        composed = compose(row, now=now)
        composed = Composed(
            clean_header_text(composed.subject, SUBJECT_MAX),
            composed.body_text,
            composed.body_html,
            tuple(composed.attachments),
        )
        return _parts_of(row, sender, composed), composed, {}
    except Withdrawn as exc:
        report.withdrawn += 1
        return None, None, {"status": "withdrawn", "last_error": exc.reason[:ERROR_MAX]}
    except Exception as exc:
        # A composer that fails (a template error) is tried again later, with
        # the same attempt budget as a failed send.
        log.exception("outbox: could not compose email %s", row.id)
        error = f"cannot compose message: {exc!r}"
        report.errors.append(error)
        if claim.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            report.failed += 1
            return None, None, {"status": "failed", "last_error": error[:ERROR_MAX]}
        report.retried += 1
        return (
            None,
            None,
            {
                "status": "queued",
                "next_attempt_at": now + backoff_delay(claim.attempts),
                "last_error": error[:ERROR_MAX],
            },
        )


def _store_text(claim: _Claim, composed: Composed, *, now: datetime) -> bool:
    """Keep a composed text on its row, if the claim still holds."""
    table = OutboundEmail.__table__
    updated = db.session.execute(
        table.update()
        .where(
            table.c.id == claim.email_id,
            table.c.status == "sending",
            table.c.lease_expires_at == claim.lease,
        )
        .values(
            subject=composed.subject,
            body_text=composed.body_text,
            body_html=composed.body_html,
            composed_at=now,
        )
    ).rowcount
    if updated and composed.attachments:
        db.session.execute(
            OutboundAttachment.__table__.insert(),
            [
                {
                    "email_id": claim.email_id,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "disposition": a.disposition,
                    "content": a.content,
                }
                for a in composed.attachments
            ],
        )
    return bool(updated)


def _store_outcome(claim: _Claim, **values) -> None:
    """Record an outcome decided while composing (committed with the batch)."""
    table = OutboundEmail.__table__
    db.session.execute(
        table.update()
        .where(
            table.c.id == claim.email_id,
            table.c.status == "sending",
            table.c.lease_expires_at == claim.lease,
        )
        .values(lease_expires_at=None, **values)
    )


def _finish(claim: _Claim, **values) -> bool:
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


def _release(claim: _Claim, *, now: datetime) -> None:
    """Give an unattempted claim back, without spending one of its attempts."""
    _finish(claim, status="queued", next_attempt_at=now, attempts=claim.attempts - 1)


def _defer(
    claim: _Claim, *, until: datetime, error: str, report: DeliveryReport
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


def _record_sent(claim: _Claim, *, now: datetime, report: DeliveryReport) -> None:
    _finish(claim, status="sent", sent_at=now, last_error="")
    report.sent += 1


def _record_retry(
    claim: _Claim, *, now: datetime, error: str, report: DeliveryReport
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
    claim: _Claim, *, error: str, report: DeliveryReport, retryable: bool = True
) -> None:
    _finish(claim, status="failed", last_error=error[:ERROR_MAX], retryable=retryable)
    report.failed += 1
    report.errors.append(error)
    log.warning("outbox: email %s failed permanently: %s", claim.email_id, error)
