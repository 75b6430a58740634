"""Signed tokens: every token the site hands out is signed and read here.

A token is signed for one named purpose, and the purpose's salt goes into the
signature, so a token of one kind (a manage link) never opens another (a
calendar feed). The salts are the strings each kind of token has been signed
with since it was first mailed: changing one would break every link already
sent, so they are frozen below, and tests/test_signing.py holds tokens made
before this module existed.

Personal links name a row and a nonce stored on it; giving the row a new nonce
(erasure, "revoke this link") revokes every link signed before.
``row_from_token`` is the one place that comparison is made. One place to
audit: no other module in consult/ imports itsdangerous.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from itsdangerous import (
    BadData,
    SignatureExpired,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)

Row = TypeVar("Row")


@dataclass(frozen=True)
class Purpose:
    """What a kind of token is signed with."""

    salt: str
    # A timed token carries the moment it was signed, so it can expire.
    timed: bool = False


PURPOSES: dict[str, Purpose] = {
    "registration-manage": Purpose("registration-manage"),
    "calendar-feed": Purpose("calendar-feed"),
    "proposal": Purpose("contribution-proposal"),
    "city-representative": Purpose("contribution-city"),
    "survey-answer": Purpose("survey-answer"),
    "survey-started": Purpose("survey-form-started"),
    "survey-answered": Purpose("survey-public-done"),
    "expert": Purpose("challenges-expert"),
    "message-unsubscribe": Purpose("message-unsubscribe"),
    "password-reset": Purpose("password-reset", timed=True),
    "attendance-import": Purpose("consult.attendance-import", timed=True),
    # The thank-you page's own link (view it again, resend the confirmation):
    # handed only to whoever just submitted the form, for a short while.
    "registration-thanks": Purpose("registration-thanks", timed=True),
    # An action's owner: posts progress updates on that one action.
    "action-owner": Purpose("action-owner"),
}


class BadToken(Exception):
    """A token that is forged, tampered with, for another purpose or unreadable."""


class ExpiredToken(BadToken):
    """A well-signed timed token older than the age the caller accepts."""


def _purpose(name: str) -> Purpose:
    try:
        return PURPOSES[name]
    except KeyError:
        # A typo in code, not a bad token: it must not pass as "no such link".
        raise KeyError(f"unknown signing purpose {name!r}") from None


def _serializer(purpose: Purpose) -> URLSafeSerializer:
    kind = URLSafeTimedSerializer if purpose.timed else URLSafeSerializer
    return kind(current_app.config["SECRET_KEY"], salt=purpose.salt)


def sign(purpose: str, payload: Any) -> str:
    """A URL-safe token carrying a JSON-able payload, for one purpose."""
    return _serializer(_purpose(purpose)).dumps(payload)


def load(purpose: str, token: str, *, max_age: int | None = None) -> Any:
    """The payload of a token signed for this purpose.

    BadToken when it is not (or tampered with); ExpiredToken, a BadToken, when
    a timed token is older than ``max_age`` seconds. ``max_age`` on a purpose
    without time is a programming error.
    """
    spec = _purpose(purpose)
    if max_age is not None and not spec.timed:
        raise ValueError(f"{purpose!r} tokens carry no time to expire by")
    serializer = _serializer(spec)
    try:
        if spec.timed:
            return serializer.loads(token, max_age=max_age)
        return serializer.loads(token)
    except SignatureExpired as exc:
        raise ExpiredToken(purpose) from exc
    except BadData as exc:
        raise BadToken(purpose) from exc


def new_nonce() -> str:
    """A fresh random nonce for a row's personal links."""
    return secrets.token_urlsafe(24)


def sign_row(purpose: str, row_id: int, nonce: str, **extra: Any) -> str:
    """A token naming a row and one of its revocable nonces (plus ``extra`` fields)."""
    return sign(purpose, {**extra, "id": row_id, "n": nonce})


def nonce_is_current(stored: str, given: str) -> bool:
    """Whether a token's nonce is the row's, compared in constant time."""
    return hmac.compare_digest(stored.encode(), given.encode())


def row_from_token(
    purpose: str,
    token: str,
    *,
    get: Callable[[int], Row | None],
    nonce_of: Callable[[Row], str],
    **expected: Any,
) -> Row | None:
    """The row a token from ``sign_row`` names, while its nonce is still current.

    None for a bad signature, a malformed payload, an ``extra`` field other
    than ``expected``, an unknown row or a rotated nonce: callers answer all
    of them alike, so a revoked or forged link looks like no link at all.
    """
    try:
        payload = load(purpose, token)
    except BadToken:
        return None
    if not isinstance(payload, dict):
        return None
    row_id, nonce = payload.get("id"), payload.get("n")
    if not isinstance(row_id, int) or not isinstance(nonce, str):
        return None
    if any(payload.get(key) != value for key, value in expected.items()):
        return None
    row = get(row_id)
    if row is None or not nonce_is_current(nonce_of(row), nonce):
        return None
    return row


def keyed_digest(material: str, *, length: int) -> str:
    """A hex HMAC-SHA256 of ``material`` under the app's secret, cut to ``length``.

    What session ids and reset links are bound to (a password hash, a session
    version): it changes when they do, without showing what they are.
    """
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, material.encode(), hashlib.sha256).hexdigest()
    return digest[:length]


# Short links (a registration's manage link in an SMS): the row's id in base
# 36, a dash, and 12 characters (72 bits) of an HMAC over the purpose, the id
# and the row's current nonce, so rotating the nonce revokes them too.
_SHORT_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
SHORT_MAC_LENGTH = 12


def _short_mac(purpose: str, row_id: int, nonce: str) -> str:
    salt = _purpose(purpose).salt
    key = current_app.config["SECRET_KEY"].encode()
    material = f"short:{salt}:{row_id}:{nonce}".encode()
    digest = hmac.new(key, material, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SHORT_MAC_LENGTH]


def short_row_token(purpose: str, row_id: int, nonce: str) -> str:
    """A short token naming a row and its current nonce (``row_from_short_token``)."""
    digits, number = "", row_id
    while True:
        number, rest = divmod(number, 36)
        digits = _SHORT_DIGITS[rest] + digits
        if not number:
            break
    return f"{digits}-{_short_mac(purpose, row_id, nonce)}"


def row_from_short_token(
    purpose: str,
    token: str,
    *,
    get: Callable[[int], Row | None],
    nonce_of: Callable[[Row], str],
) -> Row | None:
    """The row a short token names while its nonce is current; None for any bad token."""
    head, _, mac = (token or "").partition("-")
    if not head or len(head) > 12 or len(mac) != SHORT_MAC_LENGTH:
        return None
    if any(ch not in _SHORT_DIGITS for ch in head):
        return None
    row_id = int(head, 36)
    if row_id >= 2**31:
        return None
    row = get(row_id)
    if row is None:
        return None
    expected = _short_mac(purpose, row_id, nonce_of(row))
    if not hmac.compare_digest(expected.encode(), mac.encode()):
        return None
    return row
