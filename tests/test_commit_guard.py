"""The tests' guard against routes that write and never commit (tests/conftest.py).

Test requests share the test's session, so without the guard a route that
flushes and forgets to commit looks as if it saved: the defect that let
moderation save nothing (issue 15) pass every test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.auth.models import User
from consult.extensions import db
from tests.conftest import make_app


@pytest.fixture
def guarded(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance")

    def add_user(commit: bool, status: int = 200):
        db.session.add(User(email="new@example.org", name="New", role="organiser"))
        db.session.flush()
        if commit:
            db.session.commit()
        return "done", status

    app.add_url_rule("/_forgets", "forgets", lambda: add_user(False), methods=["POST"])
    app.add_url_rule("/_commits", "commits", lambda: add_user(True), methods=["POST"])
    app.add_url_rule(
        "/_refuses", "refuses", lambda: add_user(False, 422), methods=["POST"]
    )
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        yield app.test_client()
        db.session.rollback()
        db.session.execute(db.delete(User))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _users() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_success_that_wrote_without_committing_fails_the_test(guarded):
    with pytest.raises(AssertionError, match="without committing"):
        guarded.post("/_forgets")
    assert _users() == 0


def test_a_committed_write_passes(guarded):
    assert guarded.post("/_commits").status_code == 200
    assert _users() == 1


def test_a_refusal_may_leave_its_write_for_the_rollback(guarded):
    assert guarded.post("/_refuses").status_code == 422
    assert _users() == 0
