"""A request whose database connection is cut: deterministic versions of what
test_database_restart.py provokes at random under traffic.

Each case uses its own app (not the fixture's, whose pushed app context the
requests would share): every request then pushes and pops its own context, and
the end-of-request cleanup runs as under gunicorn.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from consult import database
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


def _terminated(database_url: str, pid: int) -> None:
    """End a backend and wait until it has gone, as a server restart would."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            assert conn.scalar(
                text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}
            )
    finally:
        engine.dispose()


def _pid(client) -> int:
    response = client.get("/_probe/alive")
    assert response.status_code == 200, response.status_code
    return int(response.text.split()[1])


def test_an_idle_connection_whose_server_ended_it_is_never_lent(cut_app, database_url):
    """The pool lends no connection the server closed while it sat idle.

    Its socket has the server's goodbye to read, so it is tested with a round
    trip, fails, and is replaced: the request never sees it.
    """
    client = cut_app.test_client()
    first = _pid(client)
    _terminated(database_url, first)
    assert _has_something_to_read_in_the_pool(cut_app)
    second = _pid(client)  # a 500 here would fail inside _pid
    assert second != first


def test_a_connection_idle_for_long_is_tested_even_if_nothing_shows(
    cut_app, database_url, monkeypatch
):
    """A connection dropped silently (a firewall's idle timeout) shows nothing
    on its socket: one idle longer than PING_AFTER_IDLE_SECONDS is tested
    anyway, and one idle for less is lent as it is."""
    monkeypatch.setattr(database, "_has_something_to_read", lambda conn: False)
    client = cut_app.test_client()

    first = _pid(client)
    _terminated(database_url, first)
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    second = _pid(client)
    assert second != first

    # Without the idle rule, the same dead connection reaches the request.
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _terminated(database_url, second)
    assert client.get("/_probe/alive").status_code == 500
    assert _pid(client) not in (first, second)  # the pool replaced it after


def _has_something_to_read_in_the_pool(app) -> bool:
    """Whether the pool's idle connection shows its server's goodbye."""
    with app.app_context():
        pool = db.engine.pool
        # The one idle connection the probes used (checked in, not in use).
        records = list(pool._pool.queue)
        assert len(records) == 1, len(records)
        return database._has_something_to_read(records[0].dbapi_connection)
