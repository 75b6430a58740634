"""API tests: tokens made through the service, requests with a bearer header.

Registrations made through the API queue emails with absolute links, so the
app has a SERVER_NAME (as in tests/registration).
"""

from __future__ import annotations

import ipaddress
import socket

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


_REAL_GETADDRINFO = socket.getaddrinfo


def _no_dns(host, *args, **kwargs):
    """getaddrinfo without the network: IP literals and localhost only."""
    name = host.decode() if isinstance(host, bytes) else str(host or "")
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        if name != "localhost":
            raise socket.gaierror(socket.EAI_NONAME, "no DNS in the tests") from None
    return _REAL_GETADDRINFO(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """No name is looked up while the API is tested: a webhook's address is
    resolved when it is saved (consult/webhooks/targets.py), and schemathesis
    sends any host it makes up. IP literals still pass the real SSRF checks."""
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
