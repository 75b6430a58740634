"""Bearer tokens on /api/v1: who is asking, with which scopes, how often.

No cookies: a session cookie is never read here, so a browser's session
cannot be ridden (no CSRF) and a request without a token is 401.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import Forbidden, Unauthorized

from consult.api.services.tokens import token_for_secret, touch_statement
from consult.extensions import db
from consult.timeutil import now_utc


def _secret() -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def current_token():
    """The request's usable token or None, looked up once per request."""
    if "api_token" not in g:
        secret = _secret()
        g.api_token = token_for_secret(secret, now=now_utc()) if secret else None
    return g.api_token


def rate_limit_key() -> str:
    """Flask-Limiter's key: the token's id, or the client address without one."""
    token = current_token()
    if token is not None:
        return f"api-token:{token.id}"
    return f"api-anonymous:{get_remote_address()}"


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate() -> None:
    """The API blueprints' before_request: 401 without a usable token; a use
    is recorded (at most once a minute) in its own short transaction, before
    the request's reads, so a GET stays a reader on SQLite."""
    token = current_token()
    if token is None:
        raise Unauthorized()
    now = now_utc()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        with db.engine.begin() as connection:
            connection.execute(touch_statement(_secret(), now=now))


def api_user():
    return current_token().user


def needs(scope: str):
    """A view's scope: 403 when the token lacks it (checked before its input)."""

    def decorate(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if scope not in (current_token().scopes or ()):
                raise Forbidden()
            return view(*args, **kwargs)

        checked._apidoc = {
            **getattr(view, "_apidoc", {}),
        }
        checked._apidoc.setdefault("manual_doc", {})
        checked._apidoc["manual_doc"] = {
            **checked._apidoc["manual_doc"],
            "security": [{"bearerAuth": [scope]}],
        }
        return checked

    return decorate
