"""Registration tests run on the app with a SERVER_NAME: emails carry absolute
manage links, built outside requests too (jobs, concurrency threads).

Events, stakeholder types and registrants come from tests/conftest.py
(``reg_event``, ``make_reg_event``, ``stype``, ``make_registration``), built by
tests/factories.py.
"""

import pytest

from tests.factories import SERVER_NAMED


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
