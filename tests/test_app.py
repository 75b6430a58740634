"""The application factory and cross-cutting wiring."""

import pytest

from consult import create_app

# A key of the length production requires (secrets.token_urlsafe(48)).
PRODUCTION_KEY = "wD6-5yQq0uVx3bN7kP2rT9sA1cE4fG8hJ0mL5nZ7oR3tU6vY9xB2dF4gH1iK"


def test_production_refuses_default_secret_key(monkeypatch):
    from config import DEFAULT_SECRET_KEY

    # Settings are read from the environment when config.py is imported.
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_index_has_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(
    database_url, tmp_path
):
    from flask import request

    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, TRUSTED_PROXY_COUNT=1)

    @app.get("/__addr")
    def _addr():
        return request.remote_addr or ""

    client = app.test_client()
    response = client.get(
        "/__addr",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.text == "203.0.113.7"


def test_production_refuses_to_start_without_server_name(monkeypatch):
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", PRODUCTION_KEY)
    monkeypatch.setattr("config.ProductionConfig.SERVER_NAME", None)
    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        create_app("production")


def test_production_starts_with_secret_key_and_server_name(monkeypatch, tmp_path):
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", PRODUCTION_KEY)
    monkeypatch.setattr("config.ProductionConfig.SERVER_NAME", "consult.example.org")
    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path),
            "WEB_CONCURRENCY": 1,
        },
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def _production(tmp_path, **settings):
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path),
            "SECRET_KEY": PRODUCTION_KEY,
            "SERVER_NAME": "consult.example.org",
            **settings,
        },
    )


@pytest.mark.parametrize("workers", [0, 2, 4])
def test_production_refuses_per_process_rate_limits_with_several_workers(
    tmp_path, workers
):
    # 0: the number of workers is not stated, so more than one may run.
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI is memory://"):
        _production(
            tmp_path, RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=workers
        )


@pytest.mark.parametrize(
    "settings",
    [
        {"RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": 1},
        {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "WEB_CONCURRENCY": 4},
        {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False},
    ],
    ids=["one-worker", "shared-store", "limits-off"],
)
def test_production_starts_with_a_shared_store_or_one_worker(tmp_path, settings):
    app = _production(tmp_path, **settings)
    assert app.config["RATELIMIT_STORAGE_URI"] == settings["RATELIMIT_STORAGE_URI"]


def test_development_and_testing_keep_memory_storage(monkeypatch, tmp_path):
    monkeypatch.setattr("config.Config.RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setattr("config.Config.WEB_CONCURRENCY", 0)
    for name in ("development", "testing"):
        app = create_app(
            name,
            {"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": str(tmp_path)},
        )
        assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/manage/", "/auth/login"])
def test_every_page_has_security_headers(client, login, organiser, path):
    login(organiser)
    response = client.get(path)
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


@pytest.mark.parametrize(
    "module",
    [
        "consult.auth.services",
        "consult.events.services",
        "consult.notifications.services",
        "consult.registration.services",
        "consult.scheduler",
        "consult.scheduler.runner",
        "consult.notifications.jobs",
        "consult.surveys.jobs",
        "consult.demo",
        "wsgi",
    ],
)
def test_each_module_imports_on_its_own(module):
    """A service imported first (by a job, the CLI, a script) hits no import cycle."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
