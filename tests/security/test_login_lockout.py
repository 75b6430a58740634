"""Issue 16: strangers cannot lock an account's owner out by failing to log in.

Over HTTP with rate limits on: many failures on one account from address A
(and a crowd of others) leave A refused, while the owner, typing the right
password from address B, logs in and reaches /manage/; the owner gets one
email about the burst through the outbox. Run with the client address set
directly and as seen through a trusted proxy (X-Forwarded-For), as deployed.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from consult.auth.models import User
from consult.auth.passwords import hash_password
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from tests.auth.helpers import logged_in_user_id
from tests.auth.test_rate_limit_workers import (  # noqa: F401 (fixtures)
    gunicorn_two_workers,
    redis_url,
)
from tests.conftest import make_app

OWNER_PASSWORD = "consult-demo"  # the demo organiser's, kept by the world
ACCOUNT_LIMIT = 5
ATTACKER, OWNER = "203.0.113.66", "198.51.100.20"
WORKERS_PASSWORD = "plum orchard lantern 42"


def _from(address: str, behind_proxy: bool) -> dict:
    if behind_proxy:
        return {
            "environ_base": {"REMOTE_ADDR": "10.0.0.2"},
            "headers": {"X-Forwarded-For": address},
        }
    return {"environ_base": {"REMOTE_ADDR": address}}


def _alerts(email: str) -> list[tuple[str, str]]:
    """(status, text) of the owner's alerts; holds no SQLite lock afterwards."""
    db.session.rollback()
    rows = db.session.execute(
        select(OutboundEmail.status, OutboundEmail.body_text).where(
            OutboundEmail.template == "login_failures",
            OutboundEmail.recipient == email,
        )
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    ("side", "behind_proxy"), [("a", False), ("b", True)], ids=["direct", "proxy"]
)
def test_failures_from_one_address_do_not_lock_the_owner_out(
    world_app, world, database_url, tmp_path, side, behind_proxy
):
    owner = db.session.get(User, getattr(world, side).owner_id)
    email, owner_id = owner.email, owner.id
    db.session.rollback()  # hold no SQLite lock while the other app answers
    assert _alerts(email) == []
    app = make_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="20 per hour",
        LOGIN_EMAIL_RATE_LIMIT=f"{ACCOUNT_LIMIT} per hour",
        TRUSTED_PROXY_COUNT=1 if behind_proxy else 0,
    )
    try:
        attacker = app.test_client()

        def attempt(client, address, password, who=email):
            return client.post(
                "/auth/login",
                data={"email": who, "password": password},
                **_from(address, behind_proxy),
            )

        statuses = [
            attempt(attacker, ATTACKER, f"guess {n}").status_code
            for n in range(ACCOUNT_LIMIT + 3)
        ]
        assert statuses == [200] * ACCOUNT_LIMIT + [429] * 3, statuses
        # A stays refused, even with the right password...
        assert attempt(attacker, ATTACKER, OWNER_PASSWORD).status_code == 429
        assert logged_in_user_id(attacker) is None
        # ...and so does each stranger after its one guess.
        for n in range(1, 26):
            crowd = app.test_client()
            assert attempt(crowd, f"192.0.2.{n}", "guess").status_code == 200
            assert attempt(crowd, f"192.0.2.{n}", OWNER_PASSWORD).status_code == 429

        owner_browser = app.test_client()
        response = attempt(owner_browser, OWNER, OWNER_PASSWORD)
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"] == "/manage/"
        assert logged_in_user_id(owner_browser) == str(owner_id)
        page = owner_browser.get("/manage/")
        assert page.status_code == 200
        assert getattr(world, side).slug in page.get_data(as_text=True)

        # Thirty failures in the window, one email about them.
        ((status, text),) = _alerts(email)
        assert status == "queued"
        assert f"with a wrong password {ACCOUNT_LIMIT} times from 1 network" in text
        assert "Your password still works" in text
        assert (
            db.session.scalar(
                select(func.count(OutboundEmail.id)).where(
                    OutboundEmail.dedup_key.like(f"login-failures:{owner_id}:%")
                )
            )
            == 1
        )
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db.session.rollback()


# --- the same case across two gunicorn workers sharing Redis ---------------------


@pytest.fixture
def lockout_env(monkeypatch):
    # The fixture's server trusts one proxy, so X-Forwarded-For names the
    # client; the per-address limit stays the fixture's 3 per minute.
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    monkeypatch.setenv("LOGIN_EMAIL_RATE_LIMIT", "3 per minute")


def _http_login(base: str, email: str, password: str, address: str):
    """GET the form and POST it back from `address`; (status, cookie jar)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
    )
    forwarded = {"X-Forwarded-For": address}
    page = urllib.request.Request(base + "/auth/login", headers=forwarded)
    with opener.open(page, timeout=20) as response:
        html = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": password}
    ).encode()
    post = urllib.request.Request(base + "/auth/login", data=body, headers=forwarded)
    try:
        with opener.open(post, timeout=20) as response:
            return response.status, opener
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, opener


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow
def test_lockout_case_holds_across_two_workers(
    lockout_env,
    gunicorn_two_workers,  # noqa: F811
    tmp_path,
):
    base = gunicorn_two_workers
    app = make_app("sqlite:///" + str(tmp_path / "workers.db"), tmp_path / "seed")
    with app.app_context():
        owner = User(
            email="owner@example.org",
            name="Owner",
            role="organiser",
            password_hash=hash_password(WORKERS_PASSWORD),
        )
        db.session.add(owner)
        db.session.commit()
        owner_id = owner.id
    crowd = [f"203.0.113.{n}" for n in (1, 2, 3)]
    first = [_http_login(base, "owner@example.org", "guess", a)[0] for a in crowd]
    assert first == [200, 200, 200]
    # Each address has one failure (under its own limit of 3), the account
    # three: whichever worker answers, every one of them is now refused.
    again = [
        _http_login(base, "owner@example.org", guess, a)[0]
        for a in crowd
        for guess in ("guess 2", WORKERS_PASSWORD)
    ]
    assert again == [429] * 6, again
    status, owner_browser = _http_login(
        base, "owner@example.org", WORKERS_PASSWORD, "198.51.100.20"
    )
    assert status == 302
    with owner_browser.open(base + "/manage/", timeout=20) as response:
        assert response.status == 200
    with app.app_context():
        alerts = db.session.scalars(
            select(OutboundEmail.dedup_key).where(
                OutboundEmail.template == "login_failures"
            )
        ).all()
        db.engine.dispose()
    assert len(alerts) == 1 and alerts[0].startswith(f"login-failures:{owner_id}:")
