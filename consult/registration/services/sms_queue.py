"""Queueing a registration SMS (its composer is in ``sms.py``, which needs the
registration emails' rules; this module needs nothing of theirs, so the
emails can queue the SMS beside themselves without an import cycle)."""

from __future__ import annotations

from datetime import datetime

from consult.notifications.sms.outbox import queue_composed_sms

COMPOSER = "registration_sms"
TEXT_KINDS = (
    "confirmed",
    "approved",
    "promoted",
    "waitlisted",
    "pending",
    "rejected",
    "cancelled",
    "link_resent",
)


def queue_registration_sms(
    registration_id: int,
    kind: str,
    *,
    phone: str,
    event_id: int,
    now: datetime,
    dedup_suffix: str = "",
) -> bool:
    """Queue the SMS of one kind to a registrant's number; False if the key was taken."""
    if kind not in TEXT_KINDS:
        return False
    key = f"sms:registration:{registration_id}:{kind}"
    if dedup_suffix:
        key += f":{dedup_suffix}"
    return (
        queue_composed_sms(
            composer=COMPOSER,
            template=f"sms_registration_{kind}",
            to=phone,
            params={"kind": kind},
            dedup_key=key,
            now=now,
            event_id=event_id,
            registration_id=registration_id,
        )
        is not None
    )
