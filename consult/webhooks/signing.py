"""The signature of a webhook delivery (docs/webhooks.md shows the receiver's side).

Headers of every POST:
- ``Consult-Webhook-Id``: the delivery's id, the same on every attempt;
- ``Consult-Webhook-Timestamp``: when this attempt was made, ISO 8601 UTC
  (``2026-12-05T09:30:00Z``);
- ``Consult-Webhook-Signature``: ``v1=`` and the hex HMAC-SHA256, keyed with
  the subscription's secret, of ``"{timestamp}.{body}"`` (UTF-8).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

SECRET_PREFIX = "whsec_"
USER_AGENT = "Consult-Webhooks/1"


def new_secret() -> str:
    """A fresh signing secret (shown once to the organiser)."""
    return SECRET_PREFIX + secrets.token_hex(32)


def timestamp_of(moment: datetime) -> str:
    """An aware instant as the header's ISO 8601 UTC text, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signature(secret: str, timestamp: str, body: str) -> str:
    """The ``v1=`` signature of a body sent at ``timestamp``."""
    message = f"{timestamp}.{body}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def headers_for(webhook_id: str, secret: str, body: str, moment: datetime) -> dict:
    """Every header of one attempt."""
    timestamp = timestamp_of(moment)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Consult-Webhook-Id": webhook_id,
        "Consult-Webhook-Timestamp": timestamp,
        "Consult-Webhook-Signature": signature(secret, timestamp, body),
    }
