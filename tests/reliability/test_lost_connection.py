"""A request whose database connection is cut: deterministic versions of what
test_database_restart.py provokes at random under traffic.

Each case uses its own app (not the fixture's, whose pushed app context the
requests would share): every request then pushes and pops its own context, and
the end-of-request cleanup runs as under gunicorn.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from consult.extensions import db
from tests.conftest import make_app

from .conftest import require_postgresql


def _terminate(database_url: str, pid: int) -> None:
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


@pytest.fixture
def cut_app(backend, database_url, tmp_path):
    """An app with two probe routes that lose their connection mid-request."""
    require_postgresql(backend, "pg_terminate_backend cuts one connection")
    app = make_app(database_url, tmp_path / "cut", PROPAGATE_EXCEPTIONS=False)

    def own_pid() -> int:
        return db.session.scalar(text("SELECT pg_backend_pid()"))

    @app.get("/_probe/cut-after-reading")
    def cut_after_reading():
        # The page is finished; the connection dies before the session closes.
        _terminate(database_url, own_pid())
        return "finished page"

    @app.get("/_probe/cut-before-reading")
    def cut_before_reading():
        _terminate(database_url, own_pid())
        return str(own_pid())

    @app.get("/_probe/alive")
    def alive():
        return f"alive {own_pid()}"

    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_connection_lost_after_the_page_is_built_keeps_the_page(cut_app):
    client = cut_app.test_client()
    response = client.get("/_probe/cut-after-reading")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "finished page"
    # The next request gets a fresh connection from the pool.
    response = client.get("/_probe/alive")
    assert response.status_code == 200 and response.text.startswith("alive ")


def test_a_connection_lost_mid_request_gives_the_error_page_then_recovers(cut_app):
    client = cut_app.test_client()
    response = client.get("/_probe/cut-before-reading")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "Traceback" not in page
    for _ in range(3):
        assert client.get("/_probe/alive").status_code == 200
