"""The job scheduler process: `flask --app wsgi consult scheduler`.

Imported only by the CLI; web workers never start a scheduler.

APScheduler keeps its jobs in memory here. Its job stores cannot be shared by
several processes, and it forgets a run that crashed midway, so everything
that is "due" lives in our own tables and each job just looks at them. Several
scheduler processes may run for availability: a leader lock (a PostgreSQL
session advisory lock, or a file lock beside a SQLite database) lets exactly
one be active while the others wait as standbys.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from consult.extensions import db
from consult.timeutil import UTC, now_utc

log = logging.getLogger("consult.scheduler")


def deliver_outbox_job(*, now: datetime) -> str:
    """Send due emails from the outbox."""
    from consult.notifications.services import deliver_outbox

    return str(deliver_outbox(now=now))


def enqueue_reminders_job(*, now: datetime) -> str:
    """Queue the reminders and follow-ups that are due (plans x registrations)."""
    from consult.notifications.reminders import enqueue_due_reminders

    return str(enqueue_due_reminders(now=now))


def enqueue_survey_reminders_job(*, now: datetime) -> str:
    """Queue the automatic survey reminders to people who have not answered."""
    from consult.surveys.services.reminders import enqueue_due_survey_reminders

    queued = enqueue_due_survey_reminders(now)
    db.session.commit()
    return f"queued {queued} survey reminders"


def heartbeat_job(*, now: datetime) -> str:
    """A sign of life, so the outbox page can warn when the scheduler stops."""
    return f"alive (pid {os.getpid()})"


# Fixed ids: the job name is its APScheduler id and its heartbeat row.
# Reminders come before delivery, so one `run-jobs --once` queues then sends.
JOBS: dict[str, tuple[Callable[..., str], str]] = {
    "enqueue_reminders": (enqueue_reminders_job, "SCHEDULER_REMINDER_INTERVAL"),
    "enqueue_survey_reminders": (
        enqueue_survey_reminders_job,
        "SCHEDULER_REMINDER_INTERVAL",
    ),
    "deliver_outbox": (deliver_outbox_job, "SCHEDULER_OUTBOX_INTERVAL"),
    "heartbeat": (heartbeat_job, "SCHEDULER_HEARTBEAT_INTERVAL"),
}


_BUSY = "the SQLite database stayed locked longer than SQLITE_BUSY_TIMEOUT_MS"


def _sqlite_busy(exc: Exception) -> bool:
    """SQLite's busy timeout ran out: a slow machine, not a fault in the job.

    Logged as a warning without a traceback (the job simply runs again at its
    next interval); every other error keeps its traceback.
    """
    return (
        isinstance(exc, OperationalError)
        and isinstance(exc.orig, sqlite3.OperationalError)
        and "database is locked" in str(exc.orig)
    )


def run_job(app: Flask, name: str, now: datetime | None = None) -> str:
    """Run one job in an app context, record its heartbeat, never raise."""
    from consult.notifications.services import heartbeat

    function, _interval = JOBS[name]
    with app.app_context():
        now = now or now_utc()
        try:
            outcome = function(now=now)
            status, error = "ok", ""
        except Exception as exc:
            if _sqlite_busy(exc):
                log.warning(
                    "job %s did not run: %s; it runs again at its next interval",
                    name,
                    _BUSY,
                )
            else:
                log.exception("job %s failed", name)
            db.session.rollback()
            outcome, status, error = f"error: {exc!r}", "error", repr(exc)
        try:
            heartbeat(name, now=now, status=status, error=error)
            db.session.commit()
        except Exception as exc:
            if _sqlite_busy(exc):
                log.warning("could not record the heartbeat of %s: %s", name, _BUSY)
            else:
                log.exception("could not record the heartbeat of %s", name)
            db.session.rollback()
        finally:
            db.session.remove()
    return outcome


def run_jobs_once(app: Flask, *, now: datetime) -> list[tuple[str, str]]:
    """Run every job once, in order; for cron and tests."""
    return [(name, run_job(app, name, now)) for name in JOBS]


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A UTC BlockingScheduler with the fixed-id interval jobs."""
    scheduler = BlockingScheduler(timezone=UTC)
    for name, (_function, interval_key) in JOBS.items():
        interval = max(int(app.config[interval_key]), 1)
        scheduler.add_job(
            run_job,
            trigger="interval",
            seconds=interval,
            args=[app, name],
            id=name,
            name=name,
            replace_existing=True,
            # The default grace is 1 s: a run a little late would be skipped.
            misfire_grace_time=max(interval, 30),
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC),
        )
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Wait to become the leader, run the jobs; back to standby if demoted."""
    _configure_logging()
    stop = threading.Event()
    state: dict[str, BlockingScheduler] = {}

    def _on_signal(signum, _frame):
        log.info("received signal %s, stopping", signum)
        stop.set()
        scheduler = state.get("scheduler")
        if scheduler is not None:
            # Shut down from another thread: waiting for a running job inside a
            # signal handler would block the main loop it interrupted.
            threading.Thread(target=_shutdown, args=(scheduler,), daemon=True).start()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    with app.app_context():
        lock = leader_lock_for(app)
    try:
        # A lost lock (say, the database connection dropped) demotes this
        # process to standby rather than ending it, so the host keeps a
        # scheduler ready without relying on the supervisor's restart policy.
        while not stop.is_set():
            if not _wait_for_leadership(app, lock, stop):
                return
            state["scheduler"] = scheduler = _leader_scheduler(app, lock)
            if stop.is_set():
                return
            log.info("scheduler active: %s", lock.describe())
            scheduler.start()
            lock.release()
            log.info("scheduler stopped")
    finally:
        lock.release()


def _leader_scheduler(app: Flask, lock: LeaderLock) -> BlockingScheduler:
    """The job scheduler plus a job that stops it when the lock is lost."""
    scheduler = build_scheduler(app)
    poll = max(int(app.config["SCHEDULER_STANDBY_POLL"]), 1)
    scheduler.add_job(
        _check_leadership,
        trigger="interval",
        seconds=poll,
        args=[lock, scheduler],
        id="leader_check",
        replace_existing=True,
        misfire_grace_time=max(poll, 30),
        coalesce=True,
        max_instances=1,
    )
    return scheduler


def _wait_for_leadership(app: Flask, lock: LeaderLock, stop: threading.Event) -> bool:
    poll = max(int(app.config["SCHEDULER_STANDBY_POLL"]), 1)
    announced = False
    while not stop.is_set():
        try:
            if lock.acquire():
                return True
        except Exception as exc:  # database down: keep waiting, do not crash
            log.warning("scheduler standby: cannot reach the lock (%r)", exc)
        if not announced:
            log.info(
                "scheduler standby: another scheduler is active (%s); "
                "checking every %s s",
                lock.describe(),
                poll,
            )
            announced = True
        stop.wait(poll)
    return False


def _check_leadership(lock: LeaderLock, scheduler: BlockingScheduler) -> None:
    """Stop running jobs as soon as the leader lock is lost (back to standby)."""
    if lock.is_held():
        return
    log.error("scheduler lost its leader lock; stopping its jobs, back to standby")
    threading.Thread(target=_shutdown, args=(scheduler,), daemon=True).start()


def _shutdown(scheduler: BlockingScheduler) -> None:
    try:
        scheduler.shutdown(wait=True)
    except Exception:  # already stopped
        log.debug("scheduler already stopped", exc_info=True)


def _configure_logging() -> None:
    # A process entry point: without this, INFO lines (active/standby, mail
    # written to files) would be invisible.
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s [pid %(process)d] %(message)s",
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# -- leader lock ------------------------------------------------------------

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
