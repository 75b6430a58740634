"""The scheduler: job definitions, run-jobs --once, and one active leader."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from consult.database import write_intent
from consult.extensions import db
from consult.notifications import jobs as notification_jobs
from consult.notifications.models import OutboundEmail, SchedulerHeartbeat
from consult.notifications.services import queue_email
from consult.scheduler.lock import (
    ADVISORY_LOCK_KEY,
    FileLeaderLock,
    PostgresLeaderLock,
    leader_lock_for,
)
from consult.scheduler.runner import build_scheduler, run_job, run_jobs_once
from tests.processes import die_with_parent

REPO = Path(__file__).resolve().parents[1]


def _queue(now, key="cli:1"):
    queue_email(
        template="notice",
        to="siti@example.my",
        subject="Agenda updated",
        context={"heading": "Agenda updated", "paragraphs": []},
        dedup_key=key,
        now=now,
    )
    db.session.commit()


def test_jobs_have_fixed_ids_and_safe_settings(app):
    app.config.update(SCHEDULER_OUTBOX_INTERVAL=10, SCHEDULER_HEARTBEAT_INTERVAL=30)
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert set(jobs) == {
        "enqueue_reminders",
        "enqueue_survey_reminders",
        "enqueue_milestone_reminders",
        "sync_platforms",
        "deliver_outbox",
        "deliver_webhooks",
        "prepare_exports",
        "heartbeat",
    }
    assert jobs["deliver_outbox"].trigger.interval.total_seconds() == 10
    assert jobs["heartbeat"].trigger.interval.total_seconds() == 30
    for job in jobs.values():
        # APScheduler's 1 s default grace would skip a slightly late run.
        assert job.misfire_grace_time >= 10
        assert job.coalesce is True
        assert job.max_instances == 1
        assert (
            job.func_ref == "consult.scheduler.runner:run_job"
        )  # importable reference
    assert str(scheduler.timezone) == "UTC"


def test_create_app_starts_no_scheduler():
    code = (
        "import sys, threading; from consult import create_app; "
        "create_app('testing'); "
        "print('consult.scheduler.runner' in sys.modules, "
        "'apscheduler' in sys.modules, "
        "threading.active_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["False", "False", "1"]


def test_run_jobs_once_via_cli_delivers_queued_mail(app, runner, now, outbox):
    _queue(now)

    result = runner.invoke(args=["consult", "run-jobs", "--once"])

    assert result.exit_code == 0, result.output
    assert "deliver_outbox: sent 1, retried 0, failed 0, requeued 0" in result.output
    assert "heartbeat: alive" in result.output
    # Reminders are queued before delivery runs, so one pass also sends them.
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        "enqueue_reminders",
        "enqueue_survey_reminders",
        "enqueue_milestone_reminders",
        "sync_platforms",
        "deliver_outbox",
        "deliver_webhooks",
        "prepare_exports",
        "heartbeat",
    ]
    db.session.expire_all()
    assert [e.status for e in outbox()] == ["sent"]
    assert list(Path(app.instance_path, "mail").glob("*.eml"))
    jobs = set(db.session.scalars(select(SchedulerHeartbeat.job)))
    assert jobs == {
        "enqueue_reminders",
        "enqueue_survey_reminders",
        "enqueue_milestone_reminders",
        "sync_platforms",
        "deliver_outbox",
        "deliver_webhooks",
        "prepare_exports",
        "heartbeat",
    }


def test_a_failing_job_is_logged_recorded_and_does_not_stop_the_others(
    app, now, monkeypatch
):
    def broken(*, now):
        db.session.add(OutboundEmail())  # half-done work that must be rolled back
        raise RuntimeError("smtp config broken")

    monkeypatch.setattr(notification_jobs, "deliver_outbox_job", broken)

    outcomes = dict(run_jobs_once(app, now=now))

    assert outcomes["deliver_outbox"].startswith("error: RuntimeError")
    assert outcomes["heartbeat"].startswith("alive")
    db.session.expire_all()
    row = db.session.get(SchedulerHeartbeat, "deliver_outbox")
    assert row.last_status == "error" and "smtp config broken" in row.last_error
    assert db.session.get(SchedulerHeartbeat, "heartbeat").last_status == "ok"


def test_the_leader_lock_refuses_a_second_holder(app, backend):
    first, second = leader_lock_for(app), leader_lock_for(app)
    expected = PostgresLeaderLock if backend == "postgresql" else FileLeaderLock
    assert isinstance(first, expected)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.is_held() and not second.is_held()
        first.release()
        assert second.acquire() is True
        assert second.is_held()
    finally:
        first.release()
        second.release()


def test_a_lost_lock_connection_is_noticed(app, backend):
    if backend != "postgresql":
        pytest.skip("the file lock cannot be lost while the process lives")
    lock = leader_lock_for(app)
    try:
        assert lock.acquire()
        backend_pid = lock.connection.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": backend_pid})
            admin.commit()
        assert lock.is_held() is False
        # The lock is free again for a standby.
        other = leader_lock_for(app)
        assert other.acquire()
        other.release()
    finally:
        lock.release()


# -- two real scheduler processes ---------------------------------------------


class SchedulerProcess:
    """`flask --app wsgi consult scheduler` in a subprocess, output in a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "consult", "scheduler"],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _heartbeat_pid() -> int | None:
    # A short read-only transaction: never hold SQLite's write lock while the
    # scheduler under test is trying to write.
    with write_intent(False):
        pid = db.session.scalar(
            select(SchedulerHeartbeat.pid).where(SchedulerHeartbeat.job == "heartbeat")
        )
        db.session.rollback()
    return pid


@pytest.mark.slow
def test_exactly_one_scheduler_is_active_and_a_standby_takes_over(
    app, database_url, tmp_path
):
    env = {
        **os.environ,
        "CONSULT_ENV": "testing",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(tmp_path / "scheduler-instance"),
        "SCHEDULER_OUTBOX_INTERVAL": "1",
        "SCHEDULER_HEARTBEAT_INTERVAL": "1",
        "SCHEDULER_STANDBY_POLL": "1",
        "PYTHONUNBUFFERED": "1",
    }
    processes = [SchedulerProcess(env, tmp_path / f"scheduler-{n}.log") for n in (1, 2)]
    try:

        def roles():
            active = [p for p in processes if "scheduler active" in p.output()]
            standby = [p for p in processes if "scheduler standby" in p.output()]
            return (active, standby) if active and standby else None

        active, standby = _wait_for(roles, 30, "one active and one standby scheduler")
        assert len(active) == 1 and len(standby) == 1
        [leader], [follower] = active, standby
        assert leader is not follower
        _wait_for(lambda: _heartbeat_pid() == leader.pid, 15, "the leader's heartbeat")
        time.sleep(2)  # several job intervals: the standby must stay passive
        assert "scheduler active" not in follower.output()
        assert _heartbeat_pid() == leader.pid

        leader.process.send_signal(signal.SIGKILL)  # a crash: no cleanup runs
        leader.process.wait(10)
        _wait_for(
            lambda: "scheduler active" in follower.output(),
            15,
            "the standby to take over",
        )
        _wait_for(lambda: _heartbeat_pid() == follower.pid, 15, "the new heartbeat")

        follower.process.send_signal(signal.SIGTERM)
        assert follower.process.wait(15) == 0
        assert "scheduler stopped" in follower.output()
        assert "Traceback" not in follower.output()
    finally:
        for process in processes:
            process.stop()


@pytest.mark.slow
def test_a_scheduler_that_loses_its_lock_goes_back_to_standby(
    app, backend, database_url, tmp_path
):
    """A dropped lock connection demotes the process; it does not exit."""
    if backend != "postgresql":
        pytest.skip("the file lock cannot be lost while the process lives")
    env = {
        **os.environ,
        "CONSULT_ENV": "testing",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(tmp_path / "scheduler-instance"),
        "SCHEDULER_STANDBY_POLL": "1",
        "PYTHONUNBUFFERED": "1",
    }
    process = SchedulerProcess(env, tmp_path / "scheduler.log")
    try:
        _wait_for(lambda: "scheduler active" in process.output(), 30, "leadership")

        def lock_holder():
            with db.engine.connect() as conn:
                return conn.scalar(
                    text(
                        # pg_locks lists every database's locks: another
                        # test worker's scheduler holds the same key on its
                        # own database, and must not be the one terminated.
                        "SELECT l.pid FROM pg_locks l JOIN pg_database d "
                        "ON d.oid = l.database WHERE l.locktype = 'advisory' "
                        "AND l.granted AND l.objid = :key "
                        "AND d.datname = current_database()"
                    ),
                    {"key": ADVISORY_LOCK_KEY},
                )

        holder = _wait_for(lock_holder, 10, "the advisory lock")
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": holder})
            admin.commit()

        _wait_for(
            lambda: "lost its leader lock" in process.output(), 15, "the demotion"
        )
        _wait_for(
            lambda: process.output().count("scheduler active") == 2,
            15,
            "leadership taken again",
        )
        assert process.process.poll() is None
        new_holder = _wait_for(lock_holder, 10, "the lock held again")
        assert new_holder != holder
    finally:
        process.stop()


def _locked() -> OperationalError:
    return OperationalError(
        "SELECT 1", {}, sqlite3.OperationalError("database is locked")
    )


def test_a_job_that_waits_out_the_sqlite_lock_is_a_warning_and_runs_again(
    app, now, monkeypatch, caplog
):
    calls = []

    def busy_then_fine(*, now):
        calls.append(now)
        if len(calls) == 1:
            raise _locked()
        return "sent 0"

    monkeypatch.setattr(notification_jobs, "deliver_outbox_job", busy_then_fine)
    with caplog.at_level(logging.WARNING, logger="consult.scheduler"):
        first = run_job(app, "deliver_outbox", now)
    assert first.startswith("error:")
    (record,) = [r for r in caplog.records if r.name == "consult.scheduler"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None  # no traceback for a busy database
    assert "SQLITE_BUSY_TIMEOUT_MS" in record.getMessage()
    # The heartbeat says what happened; the next run goes through.
    assert run_job(app, "deliver_outbox", now) == "sent 0"


def test_any_other_job_error_keeps_its_traceback(app, now, monkeypatch, caplog):
    def broken(*, now):
        raise OperationalError(
            "SELECT 1", {}, sqlite3.OperationalError("disk I/O error")
        )

    monkeypatch.setattr(notification_jobs, "deliver_outbox_job", broken)
    with caplog.at_level(logging.WARNING, logger="consult.scheduler"):
        assert run_job(app, "deliver_outbox", now).startswith("error:")
    (record,) = [r for r in caplog.records if r.name == "consult.scheduler"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
