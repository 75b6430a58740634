"""Item 7 of issue 16: production refuses weak keys; development makes its own.

With the constant development key anyone could sign a feed token for
registration 1; a three-character production key was accepted.
"""

from __future__ import annotations

import os
import stat

import pytest
from itsdangerous import URLSafeSerializer

from config import DEFAULT_SECRET_KEY
from consult import create_app, secret_key
from consult.calendar.feeds import registration_from_feed_token
from consult.errors import NotFound
from consult.signing import PURPOSES

GOOD_KEY = "Jq3V0x-2mHc8Ls5nR7tY1wZ4bD6fG9kP0aE2uI5oQ8sT3vX7yB1cN4eM6hL9jK"


def _production(tmp_path, key):
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path),
            "SECRET_KEY": key,
            "SERVER_NAME": "consult.test",
            "RATELIMIT_ENABLED": False,
        },
    )


@pytest.mark.parametrize(
    "key",
    [None, "", "abc", DEFAULT_SECRET_KEY, "x" * 64, "short-but-not-empty-key-31-chars"],
)
def test_production_refuses_missing_published_short_or_simple_keys(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production(tmp_path, key)


def test_production_starts_with_32_random_bytes(tmp_path):
    import secrets

    assert _production(tmp_path, secrets.token_urlsafe(32)).config["SECRET_KEY"]
    assert _production(tmp_path, GOOD_KEY).config["SECRET_KEY"] == GOOD_KEY
    assert not (tmp_path / "secret_key").exists()  # production never makes one


def test_development_without_a_key_makes_one_per_install(monkeypatch, tmp_path):
    monkeypatch.setattr("config.DevelopmentConfig.SECRET_KEY", None)
    first, second = tmp_path / "one", tmp_path / "two"
    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False}

    key = create_app("development", {**overrides, "INSTANCE_DIR": str(first)}).config[
        "SECRET_KEY"
    ]
    again = create_app("development", {**overrides, "INSTANCE_DIR": str(first)})
    other = create_app("development", {**overrides, "INSTANCE_DIR": str(second)})

    assert key != DEFAULT_SECRET_KEY and secret_key.problem(key) is None
    assert again.config["SECRET_KEY"] == key  # sessions survive a restart
    assert other.config["SECRET_KEY"] != key  # every install its own
    path = first / "secret_key"
    assert path.read_text().strip() == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_feed_token_signed_with_the_old_development_key_is_worthless(
    monkeypatch, tmp_path
):
    monkeypatch.setattr("config.DevelopmentConfig.SECRET_KEY", None)
    app = create_app(
        "development",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": False,
        },
    )
    forged = URLSafeSerializer(
        DEFAULT_SECRET_KEY, salt=PURPOSES["calendar-feed"].salt
    ).dumps({"id": 1, "n": ""})

    with app.app_context(), pytest.raises(NotFound):
        registration_from_feed_token(forged)  # refused on its signature alone


def test_an_empty_key_file_is_replaced(tmp_path):
    (tmp_path / "secret_key").write_text("\n")

    key = secret_key.instance_key(tmp_path)

    assert secret_key.problem(key) is None
    assert (tmp_path / "secret_key").read_text().strip() == key
