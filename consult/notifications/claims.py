"""The sender's side of a claimed message: its parts, and composing it when its turn comes.

``deliver_outbox`` (delivery.py) claims due rows; each becomes a ``Claim``
that holds everything needed to send it, detached from the database. A row
queued for a composer (``composers.py``) has no text yet: ``compose_claimed``
composes such rows, stores their text, and withdraws the ones no longer right
for their recipient.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError

from consult.database import write_intent
from consult.extensions import db
from consult.notifications.composers import Composed, Withdrawn, compose
from consult.notifications.mime import (
    SUBJECT_MAX,
    EmailAttachment,
    MessageParts,
    clean_header_text,
)
from consult.notifications.models import OutboundAttachment, OutboundEmail
from consult.notifications.sender import sender_of

if TYPE_CHECKING:
    from consult.notifications.delivery import DeliveryReport

log = logging.getLogger("consult.notifications.delivery")

BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 4 * 3600
ERROR_MAX = 1000


@dataclass(frozen=True)
class Claim:
    """A claimed row, detached from the session so sending touches no database."""

    email_id: int
    lease: datetime
    attempts: int
    # None until a message queued for its composer has been composed.
    parts: MessageParts | None
    # The message's Date: when it was composed, the same on every attempt.
    date: datetime | None = None
    # Composed by its composer on an earlier attempt: sent as stored, unless
    # its composer now withdraws it (the person erased their data meanwhile).
    recheck: bool = False
    # "sms": a text message, sent through the SMS transport (notifications/sms).
    channel: str = "email"


def backoff_delay(attempts: int) -> timedelta:
    """1 min after the first failed attempt, then 2, 4, ... capped at 4 hours."""
    exponent = max(attempts - 1, 0)
    seconds = BACKOFF_BASE_SECONDS * 2 ** min(exponent, 20)
    return timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def parts_of(
    row: OutboundEmail,
    sender: str,
    composed: Composed | None = None,
    envelope: tuple[str, str] | None = None,
) -> MessageParts:
    """What is sent for a row: its stored text, or the text just composed.

    ``envelope``: the (sender name, Reply-To) of a text just composed, its
    event's now; a stored text keeps the ones stored with it.
    """
    if envelope is None:
        envelope = (row.sender_name or "", row.reply_to or "")
    if composed is None:
        attachments = tuple(
            EmailAttachment(a.filename, a.content_type, a.content, a.disposition)
            for a in row.attachments
        )
        subject, text, html = row.subject, row.body_text, row.body_html
        language = row.language or ""
    else:
        attachments = composed.attachments
        subject, text, html = composed.subject, composed.body_text, composed.body_html
        language = composed.language
    return MessageParts(
        sender=sender,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=subject,
        message_id=row.message_id,
        body_text=text,
        body_html=html,
        attachments=attachments,
        list_unsubscribe=row.list_unsubscribe or "",
        language=language,
        sender_name=envelope[0],
        reply_to=envelope[1],
    )


def compose_claimed(
    claims: list[Claim], *, now: datetime, report: DeliveryReport
) -> list[Claim]:
    """Compose the claimed messages queued for a composer, and store their text.

    Composing only reads (on SQLite in a deferred transaction, so requests
    that write are not held up meanwhile); the text is then stored in one
    short write transaction for the batch, before anything is sent, so a later
    attempt sends the same bytes and the outbox shows what was sent. A message
    its composer withdraws is marked, with the reason, and not sent. Returns
    the claims ready to send.
    """
    waiting = {
        claim.email_id: claim
        for claim in claims
        if claim.parts is None or claim.recheck
    }
    if not waiting:
        return claims
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    outcomes: list[tuple[Claim, MessageParts | None, Composed | None, dict]] = []
    with write_intent(False), _kept_loaded():
        rows = db.session.scalars(
            select(OutboundEmail).where(OutboundEmail.id.in_(waiting))
        ).all()
        for row in rows:
            claim = waiting[row.id]
            if claim.recheck:
                outcome = (None, None, _recheck(row, now=now, report=report))
            else:
                outcome = _compose_one(row, claim, sender, now=now, report=report)
            outcomes.append((claim, *outcome))
        db.session.rollback()  # end the reading transaction
    ready: dict[int, Claim] = {}
    for claim, parts, composed, values in outcomes:
        if claim.recheck:
            # Still right for its recipient: the stored bytes go out again.
            if values.get("status") == "withdrawn":
                _store_outcome(claim, **values)
            else:
                ready[claim.email_id] = claim
        elif composed is None:
            _store_outcome(claim, **values)
        elif _store_text(claim, composed, parts, now=now):
            ready[claim.email_id] = replace(claim, parts=parts, date=now)
    db.session.commit()
    return [
        ready[claim.email_id] if claim.email_id in waiting else claim
        for claim in claims
        if claim.email_id not in waiting or claim.email_id in ready
    ]


@contextmanager
def _kept_loaded():
    """Keep every object loaded meanwhile in the session's identity map.

    The session holds its objects weakly: once a composer returned, the
    registration it read and that registration's event, agenda and speakers
    were dropped, and the next message of the same event loaded them again
    (three queries of four per message). Held for the batch's one reading
    transaction, each event is read once per batch.
    """
    session = db.session()
    kept: list = []

    def keep(_session, instance) -> None:
        kept.append(instance)

    event.listen(session, "loaded_as_persistent", keep)
    try:
        yield
    finally:
        event.remove(session, "loaded_as_persistent", keep)
        kept.clear()


def _recheck(row: OutboundEmail, *, now: datetime, report) -> dict:
    """{} if a message composed before is still right to send, else its withdrawal."""
    try:
        compose(row, now=now)
    except Withdrawn as exc:
        report.withdrawn += 1
        return {"status": "withdrawn", "last_error": exc.reason[:ERROR_MAX]}
    except Exception as exc:
        # Composing again is only a check: the stored text stands.
        log.exception("outbox: could not check email %s again", row.id)
        _after_error(exc)
    return {}


def _after_error(exc: Exception) -> None:
    """A failed statement spoils PostgreSQL's transaction: start a new one."""
    if isinstance(exc, SQLAlchemyError):
        db.session.rollback()


def _compose_one(
    row: OutboundEmail, claim: Claim, sender: str, *, now: datetime, report
) -> tuple[MessageParts | None, Composed | None, dict]:
    """(parts, text, {}) for a composed row, or (None, None, the outcome to record)."""
    try:
        composed = compose(row, now=now)
        composed = Composed(
            clean_header_text(composed.subject, SUBJECT_MAX),
            composed.body_text,
            composed.body_html,
            tuple(composed.attachments),
            composed.language,
        )
        envelope = sender_of(row.event_id)
        return parts_of(row, sender, composed, envelope), composed, {}
    except Withdrawn as exc:
        report.withdrawn += 1
        return None, None, {"status": "withdrawn", "last_error": exc.reason[:ERROR_MAX]}
    except Exception as exc:
        # A composer that fails (a template error) is tried again later, with
        # the same attempt budget as a failed send.
        log.exception("outbox: could not compose email %s", row.id)
        _after_error(exc)
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


def _store_text(
    claim: Claim, composed: Composed, parts: MessageParts, *, now: datetime
) -> bool:
    """Keep a composed text (and its sender) on its row, if the claim still holds."""
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
            language=composed.language,
            sender_name=parts.sender_name,
            reply_to=parts.reply_to,
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


def _store_outcome(claim: Claim, **values) -> None:
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
