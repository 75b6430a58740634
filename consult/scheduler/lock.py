"""The scheduler's leader lock: exactly one scheduler process runs the jobs.

Several scheduler processes may run for availability; the one holding this
lock is active and the others wait as standbys. PostgreSQL deployments use a
session advisory lock, SQLite ones a file lock beside the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from abc import ABC, abstractmethod
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from consult.extensions import db

# pg_try_advisory_lock key: "Cons" in ASCII. It fits in 32 bits, so pg_locks
# shows it as classid 0, objid ADVISORY_LOCK_KEY.
ADVISORY_LOCK_KEY = 0x436F6E73


class LeaderLock(ABC):
    """Held by the one active scheduler; others fail to acquire it."""

    @abstractmethod
    def acquire(self) -> bool:
        """Try once to become the leader; True when this process now holds it."""

    @abstractmethod
    def is_held(self) -> bool:
        """Whether this process still holds the lock."""

    @abstractmethod
    def release(self) -> None:
        """Give the lock up (also happens when the process dies)."""

    @abstractmethod
    def describe(self) -> str:
        """What the lock is, for log lines."""


class PostgresLeaderLock(LeaderLock):
    """A session advisory lock on a dedicated connection kept for the process.

    PostgreSQL releases it when that connection ends, so a crashed or killed
    scheduler frees it without any cleanup.
    """

    def __init__(self, engine: Engine, key: int = ADVISORY_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        if self.connection is None:
            # Autocommit: the connection must not sit "idle in transaction".
            self.connection = self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        try:
            got = self.connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            )
        except Exception:
            self._drop_connection()
            raise
        return bool(got)

    def is_held(self) -> bool:
        if self.connection is None:
            return False
        try:
            held = self.connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted "
                    "AND classid = 0 AND objid = :key AND objsubid = 1"
                ),
                {"key": self.key},
            )
        except Exception:
            self._drop_connection()
            return False
        return bool(held)

    def release(self) -> None:
        if self.connection is not None:
            # If the connection is already gone, so is the lock.
            with contextlib.suppress(Exception):
                self.connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                )
            self._drop_connection()

    def _drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()
                connection.close()

    def describe(self) -> str:
        return f"PostgreSQL advisory lock {self.key}"


class FileLeaderLock(LeaderLock):
    """An exclusive, non-blocking flock on a file (SQLite deployments, one host)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held for the process)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return True

    def is_held(self) -> bool:
        return self.handle is not None and not self.handle.closed

    def release(self) -> None:
        handle, self.handle = self.handle, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    def describe(self) -> str:
        return f"file lock {self.path.name}"


def leader_lock_for(app: Flask) -> LeaderLock:
    """The leader lock that fits the configured database."""
    if db.engine.dialect.name == "postgresql":
        return PostgresLeaderLock(db.engine)
    return FileLeaderLock(Path(app.instance_path) / "scheduler.lock")
