"""Migration e6c2a8d4f0b7 backfills what the catch-up rule, the attendance flag
and the survey sequence read: seat times, completed attendance, invitations."""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import text

from consult.extensions import db
from tests.clock import FIXED_NOW
from tests.conftest import make_app
from tests.test_migrations import (
    _insert_filled,
    empty_postgres_database,  # noqa: F401
)

BEFORE = "b8e2f4a6c1d3"


def _check_backfill(database_url: str, instance_dir) -> None:
    app = make_app(database_url, instance_dir)
    naive = FIXED_NOW.replace(tzinfo=None)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            owner = _insert_filled(conn, "users", role="organiser")
            event = _insert_filled(
                conn, "events", slug="imported", status="published",
                start_at=naive - timedelta(days=3),
                end_at=naive - timedelta(days=3) + timedelta(hours=2),
                owner_id=owner,
            )  # fmt: skip
            untouched = _insert_filled(
                conn, "events", slug="no-import", status="published",
                start_at=naive - timedelta(days=3),
                end_at=naive - timedelta(days=3) + timedelta(hours=2),
                owner_id=owner,
            )  # fmt: skip
            kind = _insert_filled(conn, "stakeholder_types", event_id=event)
            registered = naive - timedelta(days=20)
            seated = _insert_filled(
                conn, "registrations", event_id=event, stakeholder_type_id=kind,
                status="confirmed", email="a@example.org", created_at=registered,
                role="attendee", country="MY", manage_nonce="n1",
            )  # fmt: skip
            _insert_filled(
                conn, "registrations", event_id=event, stakeholder_type_id=kind,
                status="cancelled", email="b@example.org", created_at=registered,
                role="attendee", country="MY", manage_nonce="n2",
            )  # fmt: skip
            for days in (2, 1):
                _insert_filled(
                    conn, "attendance_imports", event_id=event, source="zoom",
                    imported_at=naive - timedelta(days=days),
                )  # fmt: skip
            survey = _insert_filled(
                conn, "surveys", event_id=event, audience="confirmed", kind="post_event"
            )
            for key in (
                f"survey-invitation:{survey}:{seated}",
                "survey-invitation:x:1",
            ):
                _insert_filled(
                    conn, "outbound_emails", dedup_key=key, message_id=f"<{key}>",
                    status="sent", created_at=naive - timedelta(hours=5),
                )  # fmt: skip
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT status, confirmed_at FROM registrations ORDER BY id")
            ).all()
            assert [(s, c is not None) for s, c in rows] == [
                ("confirmed", True),
                ("cancelled", False),
            ]
            flags = dict(
                conn.execute(
                    text("SELECT id, attendance_completed_via FROM events ORDER BY id")
                ).all()
            )
            assert flags == {event: "import", untouched: ""}
            invited = conn.execute(
                text("SELECT survey_id, registration_id, via FROM survey_invitations")
            ).all()
            assert [tuple(r) for r in invited] == [(survey, seated, "invitation")]
        db.session.remove()
        db.engine.dispose()


def test_backfill_on_sqlite(tmp_path):
    _check_backfill("sqlite:///" + str(tmp_path / "old.db"), tmp_path / "i")


def test_backfill_on_postgresql(empty_postgres_database, tmp_path):  # noqa: F811
    _check_backfill(empty_postgres_database, tmp_path / "i")
