"""Bearer tokens on /api/v1: who is asking, with which scopes, how often.

No cookies: a session cookie is never read here, so a browser's session
cannot be ridden (no CSRF) and a request without a token is 401.
"""

from __future__ import annotations

import functools

from flask import current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import Forbidden, Unauthorized

from consult.api.services.tokens import (
    TOUCH_SECONDS,
    token_for_secret,
    touch_statement,
)
from consult.database import write_intent
from consult.extensions import db
from consult.timeutil import now_utc

ENVIRON_KEY = "consult.api_token"


def _secret() -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def current_token():
    """The request's usable token or None, looked up once per request (kept
    on the request itself: an app context, and its ``g``, may serve several)."""
    if ENVIRON_KEY not in request.environ:
        secret = _secret()
        found = token_for_secret(secret, now=now_utc()) if secret else None
        request.environ[ENVIRON_KEY] = found
    return request.environ[ENVIRON_KEY]


def rate_limit_key() -> str:
    """Flask-Limiter's key: the token's id, or the client address without one."""
    token = current_token()
    if token is not None:
        return f"api-token:{token.id}"
    return f"api-anonymous:{get_remote_address()}"


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate() -> None:
    """The API blueprints' before_request: 401 without a usable token.

    A use is recorded at most once a minute (TOUCH_SECONDS), in a write
    transaction of its own committed before the view reads: a GET's reading
    transaction that then wrote would fail at once on a busy SQLite
    (docs/architecture.md, "A request"), so the lookup's transaction ends
    first and the write takes the lock up front.
    """
    token = current_token()
    if token is None:
        raise Unauthorized()
    now = now_utc()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() < TOUCH_SECONDS:
        return
    db.session.rollback()  # only the lookup's reads
    with write_intent(True):
        db.session.execute(touch_statement(_secret(), now=now))
        db.session.commit()


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

        apidoc = dict(getattr(view, "_apidoc", {}))
        apidoc["manual_doc"] = {
            **apidoc.get("manual_doc", {}),
            "security": [{"bearerAuth": [scope]}],
        }
        checked._apidoc = apidoc
        return checked

    return decorate
