"""Public-form rate limits hold across two gunicorn workers sharing Redis.

tests/auth/test_rate_limit_workers.py shows it for logins; this reuses its
server fixture (two workers, Redis storage, a fresh SQLite file) with the
registration, input, public-survey and contribution limits set to 3 per
minute, seeds the demo consultation into that database, and submits each form
five times from fresh browsers: three answers, then 429 from either worker.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from consult.demo import DEMO_SLUG, seed_demo
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_token
from consult.timeutil import now_utc
from tests.auth.test_rate_limit_workers import (  # noqa: F401 (fixtures)
    gunicorn_two_workers,
    redis_url,
)
from tests.conftest import make_app
from tests.security.world import _public_survey

LIMIT = "3 per minute"
SECRET = "rate-limit-test-secret"  # the server fixture's SECRET_KEY


@pytest.fixture
def limits_env(monkeypatch):
    for name in (
        "REGISTRATION_RATE_LIMIT",
        "INPUT_RATE_LIMIT",
        "SURVEY_PUBLIC_RATE_LIMIT",
        "CONTRIBUTION_RATE_LIMIT",
    ):
        monkeypatch.setenv(name, LIMIT)
    monkeypatch.setenv("SURVEY_MIN_FILL_SECONDS", "0")


@pytest.fixture
def served(limits_env, gunicorn_two_workers, tmp_path):  # noqa: F811
    """The server's base URL and the form paths, once the demo is seeded."""
    app = make_app(
        "sqlite:///" + str(tmp_path / "workers.db"),
        tmp_path / "seed-instance",
        SECRET_KEY=SECRET,
    )
    with app.app_context():
        result = seed_demo(now=now_utc())
        survey = _public_survey(result.event, result.organiser, now_utc())
        registration = db.session.scalar(
            select(Registration)
            .where(Registration.status == "confirmed")
            .order_by(Registration.id)
        )
        db.session.commit()
        paths = {
            "registration": f"/events/{DEMO_SLUG}/register",
            "input": (
                f"/events/{DEMO_SLUG}/registration/{manage_token(registration)}"
                "/inputs/new"
            ),
            "public survey": f"/events/{DEMO_SLUG}/surveys/public/{survey.public_token}",
            "contribution": f"/events/{DEMO_SLUG}/contribute",
        }
        db.session.remove()
        db.engine.dispose()
    return gunicorn_two_workers, paths


def _submit(base: str, form_page: str, action: str) -> int:
    """GET the form in a fresh browser, POST it back with its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + form_page, timeout=20) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "title": "x"}).encode()
    request = urllib.request.Request(
        base + action, data=body, headers={"Referer": base + form_page}
    )
    try:
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


@pytest.mark.slow
def test_public_form_limits_are_exact_across_two_workers(served):
    base, paths = served
    results = {}
    for form, path in paths.items():
        # A closed call shows no form: any page gives the session's CSRF token.
        page = "/auth/login" if form == "contribution" else path
        results[form] = [_submit(base, page, path) for _ in range(5)]
    for form, statuses in results.items():
        assert all(s != 429 and s < 500 for s in statuses[:3]), (form, statuses)
        assert statuses[3:] == [429, 429], (form, statuses)
