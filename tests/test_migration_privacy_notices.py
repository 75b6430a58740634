"""Migration b8d2f4a6c1e3 gives existing events version 1 of a privacy notice."""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import select, text

from consult.events.models import Event, PrivacyNotice
from consult.extensions import db
from tests.conftest import make_app
from tests.test_migration_event_setup import _event
from tests.test_migrations import empty_postgres_database  # noqa: F401

BEFORE = "5a7c3e91d2b4"


def _check_upgrade(database_url: str, instance_dir, now) -> None:
    app = make_app(database_url, instance_dir)
    with app.app_context():
        upgrade(revision=BEFORE)
        owner = db.session.scalar(
            text(
                "INSERT INTO users (email, name, role, active, created_at) "
                "VALUES ('ines@example.org', 'Ines Weber', 'organiser', true, :now) "
                "RETURNING id"
            ),
            {"now": now},
        )
        event = _event(
            owner,
            "circular",
            now + timedelta(days=10),
            privacy_notice_version="2026-11",
        )
        db.session.commit()
        db.session.remove()

        upgrade()

        [notice] = db.session.scalars(select(PrivacyNotice)).all()
        assert (notice.event_id, notice.number, notice.created_by_id) == (
            event.id,
            1,
            owner,
        )
        assert "Ines Weber organises “Circular”" in notice.text_md
        assert "Contact: ines@example.org" in notice.text_md
        assert "deletes nothing on a schedule" in notice.text_md
        version = db.session.scalar(select(Event.privacy_notice_version))
        assert version == "1"
        db.session.remove()
        db.engine.dispose()


def test_existing_events_get_a_notice_on_sqlite(tmp_path, now):
    _check_upgrade("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "i", now)


def test_existing_events_get_a_notice_on_postgresql(
    empty_postgres_database,  # noqa: F811
    tmp_path,
    now,
):
    _check_upgrade(empty_postgres_database, tmp_path / "i", now)
