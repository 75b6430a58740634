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

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.queued_rows import checked_dedup_key, insert_queued_once
from consult.phones import is_e164


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
    if not is_e164(to):
        raise ValidationFailed("An SMS goes to one number in E.164 form.", "to")
    return insert_queued_once(
        dedup_key=checked_dedup_key(dedup_key),
        composer=composer,
        template=template or composer or "sms",
        recipient=to,
        now=now,
        params=params,
        event_id=event_id,
        registration_id=registration_id,
        send_before=send_before,
        channel="sms",
    )
