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
import select
import sqlite3
import time
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError

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
    if getattr(engine, "_consult_configured", False):
        return
    engine._consult_configured = True
    if engine.dialect.name == "postgresql":
        _test_connections_before_lending(engine)
    if engine.dialect.name != "sqlite":
        return
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


# A pooled connection idle this long is asked a round trip before it is lent.
PING_AFTER_IDLE_SECONDS = 10.0
_IDLE_SINCE = "consult.idle_since"


def _test_connections_before_lending(engine: Engine) -> None:
    """Never lend a PostgreSQL connection whose server end has gone.

    SQLAlchemy's ``pool_pre_ping`` asks every connection a round trip at
    every check-out: a statement per request for both the application and
    the server. Here a connection is asked only when something may be wrong:
    its socket has something to read although it sat idle (a server that
    ended it sends its goodbye and closes, as after a restart or
    ``pg_terminate_backend``), or it sat idle long enough for a firewall or
    proxy to have dropped it silently. A connection that fails the question
    is replaced: SQLAlchemy's pool retries the check-out with a new one.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, connection_record):
        connection_record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _before_lending(dbapi_connection, connection_record, connection_proxy):
        idle_since = connection_record.info.get(_IDLE_SINCE)
        if idle_since is None:
            return  # just connected
        if not (
            _has_something_to_read(dbapi_connection)
            or time.monotonic() - idle_since > PING_AFTER_IDLE_SECONDS
        ):
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:  # any failure: the connection is not lent
            raise DisconnectionError(str(exc)) from exc


def _has_something_to_read(dbapi_connection) -> bool:
    """Whether an idle connection's socket is readable (or not there at all)."""
    if getattr(dbapi_connection, "closed", False) or getattr(
        dbapi_connection, "broken", False
    ):
        return True
    try:
        socket = dbapi_connection.fileno()
        readable, _, _ = select.select([socket], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True
    return bool(readable)


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
