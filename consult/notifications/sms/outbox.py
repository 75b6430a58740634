"""Queueing a text message: one outbox row in the caller's transaction.

The row is an ``OutboundEmail`` with ``channel = "sms"``, so the dispatcher
claims, leases, retries and records it exactly as it does an email; a
composer (``composers.py``) writes its text when its turn comes. An existing
row with the same dedup key wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.mime import message_id_for
from consult.notifications.models import OutboundEmail
from consult.phones import is_e164

_INSERT_ONCE = {
    name: insert(OutboundEmail.__table__)
    .on_conflict_do_nothing()
    .returning(OutboundEmail.__table__.c.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


def queue_sms(
    *,
    to: str,
    body: str,
    dedup_key: str,
    now: datetime,
    template: str = "sms",
    event_id: int | None = None,
    registration_id: int | None = None,
) -> int | None:
    """Queue an SMS whose text is known now: its id, None if the key was taken."""
    if not body.strip():
        raise ValidationFailed("An SMS needs a text.", "body")
    row_id = queue_composed_sms(
        composer="",
        to=to,
        dedup_key=dedup_key,
        now=now,
        template=template,
        event_id=event_id,
        registration_id=registration_id,
    )
    if row_id is not None:
        db.session.execute(
            OutboundEmail.__table__.update()
            .where(OutboundEmail.__table__.c.id == row_id)
            .values(body_text=body, composed_at=now)
        )
    return row_id


def queue_composed_sms(
    *,
    composer: str,
    to: str,
    dedup_key: str,
    now: datetime,
    params: Mapping[str, Any] | None = None,
    template: str = "",
    event_id: int | None = None,
    registration_id: int | None = None,
    send_before: datetime | None = None,
) -> int | None:
    """Queue an SMS that ``composer`` writes when it is sent: its id, None if the key was taken."""
    dedup_key = (dedup_key or "").strip()
    if not dedup_key or len(dedup_key) > 255:
        raise ValidationFailed("A dedup key of 1 to 255 characters is required.")
    if not is_e164(to):
        raise ValidationFailed("An SMS goes to one number in E.164 form.", "to")
    values = {
        "channel": "sms",
        "dedup_key": dedup_key,
        "message_id": message_id_for(
            dedup_key, current_app.config["MAIL_DEFAULT_SENDER"]
        ),
        "template": template or composer or "sms",
        "composer": composer,
        "params": dict(params or {}),
        "event_id": event_id,
        "registration_id": registration_id,
        "recipient": to,
        "recipient_name": "",
        "subject": "",
        "body_text": "",
        "body_html": "",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
        "retryable": True,
        "send_before": send_before,
        "list_unsubscribe": "",
    }
    connection = db.session.connection()
    inserted = connection.execute(_INSERT_ONCE[connection.dialect.name], values)
    return inserted.scalar()
