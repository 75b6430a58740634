"""The migration that moves slides from the instance folder into the database.

A proposal is written as the previous revision stored it (a generated name in
`slides_name`, the bytes under `<instance>/contributions/`); after the upgrade
its bytes are in `stored_files`, a proposal whose file was missing keeps no
slides, and the downgrade writes the file back to disk.
"""

import hashlib
import os
import uuid
from datetime import timedelta

import pytest
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consult.extensions import db
from tests.clock import FIXED_NOW
from tests.conftest import make_app, require_postgres

REVISION = "658a38dab4ec"
NOW = FIXED_NOW.strftime("%Y-%m-%d %H:%M:%S")
END = (FIXED_NOW + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")


def _before(revision: str) -> str:
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return script.get_revision(revision).down_revision


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "migrate.db")
        return
    base = make_url(require_postgres())
    name = f"consult_upmig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _old_proposal(conn, proposal_id: int, name: str, size: int) -> None:
    conn.execute(
        text(
            "INSERT INTO contribution_proposals (id, event_id, proposer_name, "
            "proposer_email, nonce, title, abstract_md, kind, duration_minutes, "
            "consent_publish, status, decision_message, decision_count, "
            "schedule_sequence, slides_name, slides_original, slides_type, "
            "slides_size, created_at, updated_at) VALUES (:id, 1, 'P', "
            "'p@example.org', :nonce, 'T', '', 'best_practice', 15, false, "
            "'submitted', '', 0, 0, :name, 'talk.pdf', 'pdf', :size, :now, :now)"
        ),
        {
            "id": proposal_id,
            "nonce": f"n{proposal_id}",
            "name": name,
            "size": size,
            "now": NOW,
        },
    )


def _old_rows(rows) -> None:
    """A user, a draft event and the proposals, as the previous schema had them."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, role, active, created_at) "
                "VALUES (1, 'o@example.org', 'O', 'organiser', true, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO events (id, slug, title, summary, description_md, "
                "host_city, host_country, topics, timezone, start_at, end_at, "
                "join_url, status, sequence, owner_id, created_at, updated_at, "
                "cancellation_reason) VALUES (1, 'e', 'E', '', '', '', '', '[]', "
                "'UTC', :now, :end, '', 'draft', 0, 1, :now, :now, '')"
            ),
            {"now": NOW, "end": END},
        )
        for row in rows:
            _old_proposal(conn, *row)


def test_slides_on_disk_move_into_the_database_and_back(empty_database, tmp_path):
    app = make_app(empty_database, tmp_path / "instance")
    content = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024 + 77)
    name, missing = f"{'a' * 32}.pdf", f"{'b' * 32}.pdf"
    folder = tmp_path / "instance" / "contributions"
    with app.app_context():
        upgrade(revision=_before(REVISION))
        folder.mkdir(parents=True)
        (folder / name).write_bytes(content)
        _old_rows([(1, name, len(content)), (2, missing, 10)])

        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, slides_file_id, slides_size, slides_type "
                    "FROM contribution_proposals ORDER BY id"
                )
            ).all()
            (file_id, size_bytes, sha, kind) = conn.execute(
                text("SELECT id, size_bytes, sha256, content_type FROM stored_files")
            ).one()
            stored = b"".join(
                bytes(chunk)
                for (chunk,) in conn.execute(
                    text(
                        "SELECT data FROM stored_file_chunks WHERE file_id = :f "
                        "ORDER BY seq"
                    ),
                    {"f": file_id},
                )
            )
        assert rows == [(1, file_id, len(content), "pdf"), (2, None, None, "")]
        assert stored == content and size_bytes == len(content)
        assert sha == hashlib.sha256(content).hexdigest()
        assert kind == "application/pdf"

        (folder / name).unlink()
        downgrade(revision=_before(REVISION))
        with db.engine.connect() as conn:
            back = conn.execute(
                text("SELECT slides_name FROM contribution_proposals WHERE id = 1")
            ).scalar_one()
        assert (folder / back).read_bytes() == content
        db.engine.dispose()
