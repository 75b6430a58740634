"""Migration c7e1a9d3f5b2: a results page public before versions existed
becomes version 1 of its event, frozen by the first page that reads it."""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import text

from consult.extensions import db
from tests.clock import FIXED_NOW
from tests.conftest import make_app
from tests.test_migrations import _insert_filled


def test_existing_publications_become_version_one(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "instance")
    with app.app_context():
        upgrade(revision="b8e2f4a6c1d3")
        with db.engine.begin() as conn:
            user = _insert_filled(
                conn,
                "users",
                email="ines@example.org",
                name="Ines Weber",
                role="organiser",
            )
            stamp = FIXED_NOW.replace(tzinfo=None)
            events = [
                _insert_filled(
                    conn,
                    "events",
                    slug=f"e{i}",
                    status="published",
                    timezone="UTC",
                    owner_id=user,
                    start_at=stamp,
                    end_at=stamp + timedelta(hours=2),
                )
                for i in range(3)
            ]
            for event, author in ((events[0], user), (events[1], None)):
                _insert_filled(
                    conn,
                    "dashboard_results_publications",
                    event_id=event,
                    note="Thanks",
                    published_at=stamp,
                    updated_at=stamp,
                    published_by_id=author,
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT event_id, number, published_by_id, published_by_name,"
                    " rule_version, min_group_size, data"
                    " FROM dashboard_results_versions ORDER BY event_id"
                )
            ).all()
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [
        (events[0], 1, user, "Ines Weber", "", 5, None),
        (events[1], 1, None, "", "", 5, None),
    ]
