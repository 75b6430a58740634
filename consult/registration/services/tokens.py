"""Manage links: a signed token naming one registration and its current nonce."""

from __future__ import annotations

import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from consult.errors import NotFound
from consult.extensions import db
from consult.registration.models import Registration

MANAGE_SALT = "registration-manage"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)


def manage_token(registration: Registration) -> str:
    """The signed token of a registration's personal manage link."""
    return _serializer().dumps({"id": registration.id, "n": registration.manage_nonce})


def registration_from_token(token: str) -> Registration:
    """The registration a token opens; NotFound for a bad, foreign or revoked token."""
    try:
        payload = _serializer().loads(token)
    except BadSignature as exc:
        raise NotFound("registration") from exc
    if not isinstance(payload, dict):
        raise NotFound("registration")
    reg_id, nonce = payload.get("id"), payload.get("n")
    if not isinstance(reg_id, int) or not isinstance(nonce, str):
        raise NotFound("registration")
    registration = db.session.get(Registration, reg_id)
    # Erasure rotates the nonce, so links mailed before it stop working.
    if registration is None or not hmac.compare_digest(
        registration.manage_nonce.encode(), nonce.encode()
    ):
        raise NotFound("registration")
    return registration
