"""Fixtures for account tests: extra apps with CSRF or rate limits switched on."""

from __future__ import annotations

import pytest

from consult.extensions import db
from tests.conftest import make_app


@pytest.fixture
def other_app(app, database_url, tmp_path):
    """other_app(**config): a second app on the same database, e.g. with CSRF on.

    Depends on `app`, whose teardown empties the tables the second app wrote.
    The limiter is one object shared by every app; building an app re-reads
    its settings, so the next test's `app` switches rate limits off again.
    """
    built = []

    def _make(**overrides):
        other = make_app(database_url, tmp_path / f"instance-{len(built)}", **overrides)
        built.append(other)
        return other

    yield _make
    for other in built:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def expert(make_user):
    return make_user("expert@example.org", role="expert")
