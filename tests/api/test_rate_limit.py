"""API requests are limited per token (Flask-Limiter keyed by the token id)."""

from __future__ import annotations

from consult.extensions import db
from tests.api.conftest import bearer, make_token
from tests.conftest import make_app


def test_each_token_has_its_own_limit(
    database_url, tmp_path, reg_event, organiser, now
):
    first = make_token(organiser, now, name="first")
    second = make_token(organiser, now, name="second")
    db.session.remove()  # release this test's connection (SQLite write lock)
    limited = make_app(
        database_url,
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        API_RATE_LIMIT="2 per minute",
    )
    client = limited.test_client()
    path = "/api/v1/events"
    codes = [client.get(path, headers=bearer(first)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get(path, headers=bearer(first))
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["status"] == 429
    # Another token of the same owner, from the same address, is not refused.
    assert client.get(path, headers=bearer(second)).status_code == 200
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()
