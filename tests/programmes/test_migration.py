"""The migration makes city records of existing partner cities."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from consult.extensions import db
from tests.conftest import make_app
from tests.storage.test_upload_migration import _before, empty_database  # noqa: F401
from tests.test_migration_zone_names import _events

REVISION = "d4a9e2b7c1f6"


def test_partner_names_get_city_records_with_the_host_slug_rule(
    empty_database,  # noqa: F811
    tmp_path,
):
    app = make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision=_before(REVISION))
        _events(["Asia/Kuala_Lumpur", "Europe/Brussels"])
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO cities (slug, name, country, timezone, created_at)"
                    " VALUES ('utrecht', 'Utrecht', 'Netherlands', 'UTC',"
                    " '2026-11-24 09:00:00')"
                )
            )
            for n, (event, name, country) in enumerate(
                [
                    (1, "Utrecht", "Netherlands"),
                    (1, "  Lyon ", "France"),
                    (2, "Lyon", ""),
                    (2, "Valencia", "Spain"),
                    (2, "Valencia", "Venezuela"),
                    (2, "", "Belgium"),
                ],
                start=1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO partner_cities (id, event_id, name, country,"
                        " position) VALUES (:id, :event, :name, :country, :id)"
                    ),
                    {"id": n, "event": event, "name": name, "country": country},
                )
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            linked = conn.execute(
                text(
                    "SELECT p.id, c.slug FROM partner_cities p"
                    " LEFT JOIN cities c ON c.id = p.city_id ORDER BY p.id"
                )
            ).all()
        assert [slug for _id, slug in linked] == [
            "utrecht",
            "lyon",
            "lyon",
            "valencia",
            "valencia-venezuela",
            None,
        ]
        downgrade(revision=_before(REVISION))
        db.engine.dispose()
