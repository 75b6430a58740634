"""Manage links: a signed token naming one registration and its current nonce.

Everything else imports ``manage_url`` from here: this module needs nothing
from the rest of the registration services, so importing it never closes an
import cycle.
"""

from __future__ import annotations

from consult.errors import NotFound
from consult.extensions import db
from consult.links import external_url
from consult.registration.models import Registration
from consult.signing import (
    row_from_short_token,
    row_from_token,
    short_row_token,
    sign_row,
)


def manage_token(registration: Registration) -> str:
    """The signed token of a registration's personal manage link."""
    return sign_row("registration-manage", registration.id, registration.manage_nonce)


def manage_url(registration: Registration) -> str:
    """The absolute personal manage link (built from SERVER_NAME outside requests)."""
    return external_url(
        "registration.manage",
        slug=registration.event.slug,
        token=manage_token(registration),
    )


def registration_from_token(token: str) -> Registration:
    """The registration a token opens; NotFound for a bad, foreign or revoked token."""
    # Erasure rotates the nonce, so links mailed before it stop working.
    registration = row_from_token(
        "registration-manage",
        token,
        get=lambda reg_id: db.session.get(Registration, reg_id),
        nonce_of=lambda r: r.manage_nonce,
    )
    if registration is None:
        raise NotFound("registration")
    return registration


def short_manage_url(registration: Registration) -> str:
    """A short absolute link that redirects to the manage page (for SMS)."""
    token = short_row_token(
        "registration-manage", registration.id, registration.manage_nonce
    )
    return external_url("registration.short_manage", token=token)


def registration_from_short_token(token: str) -> Registration:
    """The registration a short token opens; NotFound otherwise."""
    registration = row_from_short_token(
        "registration-manage",
        token,
        get=lambda reg_id: db.session.get(Registration, reg_id),
        nonce_of=lambda r: r.manage_nonce,
    )
    if registration is None:
        raise NotFound("registration")
    return registration
