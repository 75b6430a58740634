"""The migration that gives stored aliases (Asia/Calcutta) their canonical names."""

from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import text

from consult.extensions import db
from tests.clock import FIXED_NOW
from tests.conftest import make_app
from tests.storage.test_upload_migration import _before, empty_database  # noqa: F401

REVISION = "d7a9c3e1f2b4"
NOW = FIXED_NOW.strftime("%Y-%m-%d %H:%M:%S")
END = (FIXED_NOW + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")


def _events(zones) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, role, active, created_at) "
                "VALUES (1, 'o@example.org', 'O', 'organiser', true, :now)"
            ),
            {"now": NOW},
        )
        for n, zone in enumerate(zones, start=1):
            conn.execute(
                text(
                    "INSERT INTO events (id, slug, title, summary, description_md, "
                    "host_city, host_country, topics, timezone, start_at, end_at, "
                    "join_url, status, sequence, owner_id, created_at, updated_at, "
                    "cancellation_reason) VALUES (:id, :slug, 'E', '', '', '', '', "
                    "'[]', :zone, :now, :end, '', 'draft', 0, 1, :now, :now, '')"
                ),
                {"id": n, "slug": f"e{n}", "zone": zone, "now": NOW, "end": END},
            )


def test_aliases_become_canonical_and_canonical_names_stay(
    empty_database,  # noqa: F811
    tmp_path,
):
    app = make_app(empty_database, tmp_path / "instance")
    zones = ["Asia/Calcutta", "Europe/Kiev", "Asia/Kuala_Lumpur", "Etc/UTC", "UTC"]
    with app.app_context():
        upgrade(revision=_before(REVISION))
        _events(zones)
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT timezone FROM events ORDER BY id")
            ).scalars()
            assert list(stored) == [
                "Asia/Kolkata",
                "Europe/Kyiv",
                "Asia/Kuala_Lumpur",
                "UTC",
                "UTC",
            ]
        db.engine.dispose()
