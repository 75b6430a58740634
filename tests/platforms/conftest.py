"""Platforms tests: a local fake Zoom (fake_zoom.py) the app is pointed at,
Jitsi settings with token authentication, and absolute links in emails."""

from __future__ import annotations

import pytest

from consult.platforms.adapters.zoom import forget_tokens
from tests.factories import SERVER_NAMED
from tests.platforms import fake_zoom

JITSI_SECRET = "jitsi-test-secret-of-at-least-32-bytes"


@pytest.fixture
def zoom():
    forget_tokens()
    fake, server = fake_zoom.start()
    yield fake
    server.shutdown()
    server.server_close()
    forget_tokens()


@pytest.fixture
def app_config(zoom):
    return {
        **SERVER_NAMED,
        "ZOOM_ACCOUNT_ID": fake_zoom.ACCOUNT_ID,
        "ZOOM_CLIENT_ID": fake_zoom.CLIENT_ID,
        "ZOOM_CLIENT_SECRET": fake_zoom.CLIENT_SECRET,
        "ZOOM_API_BASE": zoom.base_url + "/v2",
        "ZOOM_OAUTH_URL": zoom.base_url + "/oauth/token",
        "PLATFORM_HTTP_TIMEOUT": 5,
        "JITSI_SERVER_URL": "https://meet.example.test",
        "JITSI_APP_ID": "consult",
        "JITSI_APP_SECRET": JITSI_SECRET,
        "JITSI_KEY_ID": "key-1",
    }


@pytest.fixture
def run_job(app):
    """run_job(now) -> the job's report line (as the scheduler runs it)."""
    from consult.platforms.jobs import sync_platforms_job

    def _run(now):
        return sync_platforms_job(now=now)

    return _run
