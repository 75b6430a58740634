"""Manage links: a signed token naming one registration and its current nonce."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from consult.errors import NotFound
from consult.extensions import db
from consult.registration.models import Registration

MANAGE_SALT = "registration-manage"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def sign_registration(registration: Registration, *, salt: str, nonce: str) -> str:
    """A URL-safe token naming a registration and one of its revocable nonces."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)
    return serializer.dumps({"id": registration.id, "n": nonce})


def registration_from_signed(
    token: str, *, salt: str, nonce_of: Callable[[Registration], str]
) -> Registration:
    """The registration a token names, if its nonce is still the current one.

    NotFound for a bad signature, a malformed payload, an unknown registration
    or a rotated nonce, so a revoked or forged link looks like no link at all.
    """
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)
    try:
        payload = serializer.loads(token)
    except BadSignature as exc:
        raise NotFound("registration") from exc
    if not isinstance(payload, dict):
        raise NotFound("registration")
    reg_id, nonce = payload.get("id"), payload.get("n")
    if not isinstance(reg_id, int) or not isinstance(nonce, str):
        raise NotFound("registration")
    registration = db.session.get(Registration, reg_id)
    if registration is None or not hmac.compare_digest(
        nonce_of(registration).encode(), nonce.encode()
    ):
        raise NotFound("registration")
    return registration


def manage_token(registration: Registration) -> str:
    """The signed token of a registration's personal manage link."""
    return sign_registration(
        registration, salt=MANAGE_SALT, nonce=registration.manage_nonce
    )


def registration_from_token(token: str) -> Registration:
    """The registration a token opens; NotFound for a bad, foreign or revoked token."""
    # Erasure rotates the nonce, so links mailed before it stop working.
    return registration_from_signed(
        token, salt=MANAGE_SALT, nonce_of=lambda r: r.manage_nonce
    )
