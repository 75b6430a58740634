"""Engine tuning: SQLite for concurrent use, PostgreSQL helpers.

SQLite: WAL, a busy timeout and foreign keys on every connection. Transactions
that will write start with BEGIN IMMEDIATE, taking the write lock up front: a
deferred transaction that reads and then writes fails at once with "database is
locked" when it tries to upgrade its lock, and the busy timeout does not help.
Requests that only read (GET, HEAD, OPTIONS) begin deferred so readers never
queue behind writers.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

_write_intent: ContextVar[bool] = ContextVar(
    "consult_sqlite_write_intent", default=True
)


def set_write_intent(value: bool) -> None:
    """Declare whether the current context's transactions may write."""
    _write_intent.set(value)


@contextmanager
def write_intent(value: bool = True):
    token = _write_intent.set(value)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Attach the per-dialect connection setup to an engine."""
    if engine.dialect.name != "sqlite":
        return
    if getattr(engine, "_consult_configured", False):
        return
    engine._consult_configured = True
    database = engine.url.database

    @event.listens_for(engine, "do_connect")
    def _ensure_directory(dialect, conn_rec, cargs, cparams):
        if database and database != ":memory:" and not database.startswith("file:"):
            os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own
        # implicit BEGIN is always deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _write_intent.get():
            _begin_immediate(connection, int(busy_timeout_ms))
        else:
            connection.exec_driver_sql("BEGIN")


# How often a SQLite writer asks again for the write lock while another holds it.
SQLITE_LOCK_POLL_SECONDS = 0.002


def _begin_immediate(connection, timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, asking again every 2 ms while another writer holds the lock.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … then 100 ms between tries,
    so a writer that has waited a while sleeps through the releases and newer
    writers overtake it: in a registration surge that was the p99. Asking
    often gives every waiting writer the same chance at each release. The
    timeout stays SQLITE_BUSY_TIMEOUT_MS, and a writer that gives up raises
    the usual "database is locked". Each try is an ordinary statement, so
    statement listeners see the BEGIN IMMEDIATE.
    """
    raw = connection.connection.dbapi_connection
    deadline = time.monotonic() + timeout_ms / 1000
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                busy = isinstance(exc.orig, sqlite3.OperationalError) and (
                    "locked" in str(exc.orig) or "busy" in str(exc.orig)
                )
                if not busy or time.monotonic() >= deadline:
                    raise
            time.sleep(SQLITE_LOCK_POLL_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def is_postgresql(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", None) or engine_or_session
    if hasattr(engine_or_session, "get_bind"):
        bind = engine_or_session.get_bind()
    return bind.dialect.name == "postgresql"


def render_migration_item(type_, obj, autogen_context):
    """Alembic autogenerate: write our UTC column type as a plain zone-aware DateTime.

    Migrations then do not import application code, which may change later.
    """
    from consult.timeutil import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def commit_keeping_loaded(session) -> None:
    """Commit without expiring the objects the session holds.

    A page rendered right after a write shows what the transaction itself
    wrote; by default SQLAlchemy expires every object at commit and the page
    would read each one back with a query of its own.
    """
    target = session() if callable(session) else session
    previous = target.expire_on_commit
    target.expire_on_commit = False
    try:
        target.commit()
    finally:
        target.expire_on_commit = previous
