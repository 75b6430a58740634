"""Replies to our SMS: the gateway's signed inbound webhook, and STOP.

Twilio signs each webhook request: ``X-Twilio-Signature`` is the base64
HMAC-SHA1, under the account's auth token, of the full URL it called followed
by every POST parameter's name and value, sorted by name. A body that says
STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; any case, trimmed) turns
SMS off for the number it came from: every registration with that number
records when, and the SMS queued to it are withdrawn.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.withdrawals import recorded_reason
from consult.phones import is_e164
from consult.registration.models import Registration

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})


def expected_signature(
    auth_token: str, url: str, params: Iterable[tuple[str, str]]
) -> str:
    """Twilio's signature of a webhook request: the URL, then each distinct
    (name, value) pair sorted, as its SDKs compute it (a value repeated under
    one name counts once)."""
    data = url + "".join(name + value for name, value in sorted(set(params)))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_is_valid(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], given: str
) -> bool:
    if not auth_token or not given:
        return False
    expected = expected_signature(auth_token, url, params)
    return hmac.compare_digest(expected.encode(), given.encode())


def is_stop(body: str) -> bool:
    return (body or "").strip().upper() in STOP_WORDS


def stop_sms(number: str, *, now: datetime) -> tuple[int, int]:
    """SMS off for ``number``: (registrations stopped, queued SMS withdrawn)."""
    if not is_e164(number):
        return 0, 0
    stopped = db.session.execute(
        update(Registration)
        .where(Registration.phone == number, Registration.sms_stopped_at.is_(None))
        .values(sms_stopped_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    table = OutboundEmail.__table__
    withdrawn = db.session.execute(
        table.update()
        .where(
            table.c.channel == "sms",
            table.c.recipient == number,
            table.c.status == "queued",
        )
        .values(
            status="withdrawn",
            last_error=recorded_reason(
                lambda: _("The person replied STOP: no more SMS to this number.")
            ),
        )
    ).rowcount
    return stopped, withdrawn
