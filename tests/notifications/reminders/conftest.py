"""Reminder tests use the app with a SERVER_NAME, so emails built by the engine
carry absolute links; events and registrants come from tests/conftest.py."""

import pytest

from tests.factories import SERVER_NAMED


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
