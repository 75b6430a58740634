"""API tests: tokens made through the service, requests with a bearer header.

Registrations made through the API queue emails with absolute links, so the
app has a SERVER_NAME (as in tests/registration).
"""

from __future__ import annotations

import pytest

from consult.api.models import SCOPES
from consult.api.services.tokens import create_token
from consult.extensions import db
from tests.factories import SERVER_NAMED


@pytest.fixture
def app_config():
    return SERVER_NAMED


def make_token(user, now, scopes=SCOPES, days=None, name="integration") -> str:
    """A committed token of ``user``; its secret."""
    secret = create_token(user, name, list(scopes), days, now=now).secret
    db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token(organiser, now):
    """A token of the organiser (owner of ``reg_event``) with every scope."""
    return make_token(organiser, now)


@pytest.fixture
def api(client, token):
    """api(method, path, **kw): a request with the organiser's token."""

    def _call(method, path, secret=None, headers=None, **kwargs):
        return client.open(
            path,
            method=method,
            headers={**bearer(secret or token), **(headers or {})},
            **kwargs,
        )

    return _call
