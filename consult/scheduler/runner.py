"""The job scheduler process: `flask --app wsgi consult scheduler`.

Imported only by the CLI; web workers never start a scheduler.

APScheduler keeps its jobs in memory here. Its job stores cannot be shared by
several processes, and it forgets a run that crashed midway, so everything
that is "due" lives in our own tables and each job just looks at them. Several
scheduler processes may run for availability: a leader lock (see ``lock``)
lets exactly one be active while the others wait as standbys. What runs, and
how often, is ``consult.scheduler.JOBS``.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import OperationalError

from consult.extensions import db
from consult.notifications.services import heartbeat
from consult.scheduler import JOBS, job_named
from consult.scheduler.lock import LeaderLock, leader_lock_for
from consult.timeutil import UTC, now_utc

log = logging.getLogger("consult.scheduler")


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
    job = job_named(name)
    with app.app_context():
        now = now or now_utc()
        try:
            outcome = job.function(now=now)
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
    return [(job.name, run_job(app, job.name, now)) for job in JOBS]


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A UTC BlockingScheduler with the fixed-id interval jobs."""
    scheduler = BlockingScheduler(timezone=UTC)
    for job in JOBS:
        interval = job.interval(app.config)
        scheduler.add_job(
            run_job,
            trigger="interval",
            seconds=interval,
            args=[app, job.name],
            id=job.name,
            name=job.name,
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
