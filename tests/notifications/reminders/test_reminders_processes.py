"""Done means: two scheduler processes at once send each reminder once.

Real processes on the real clock against a real SMTP server: two
`consult scheduler` processes side by side (one leads, one stands by), and
two `consult run-jobs --once` processes started together again and again
(cron on two hosts: no leader lock, so the engine and the outbox themselves
must keep every reminder single).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderDispatch
from consult.notifications.reminders import (
    due_at,
    ensure_default_plan,
)
from consult.timeutil import now_utc
from tests.processes import die_with_parent

from .test_reminders_kill import REPO, add_confirmed_people

PEOPLE = 300


def _event_with_a_due_reminder(make_reg_event, stype):
    """An event whose 7-day reminder fell due yesterday, with PEOPLE registrants."""
    real_now = now_utc()
    event = make_reg_event(capacity=None)
    event.start_at = real_now + timedelta(days=6)
    event.end_at = event.start_at + timedelta(hours=2)
    event.registration_closes_at = None
    week = ensure_default_plan(event, now=real_now - timedelta(days=10))[0]
    add_confirmed_people(
        event, stype, real_now - timedelta(days=9), PEOPLE, type_key="research"
    )
    assert due_at(week, event) < real_now
    return event, week


def _env(database_url, tmp_path, port) -> dict[str, str]:
    return {
        **os.environ,
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(tmp_path / "instance"),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "OUTBOX_BATCH_SIZE": "50",
        "SCHEDULER_OUTBOX_INTERVAL": "1",
        "SCHEDULER_REMINDER_INTERVAL": "1",
        "SCHEDULER_HEARTBEAT_INTERVAL": "1",
        "SCHEDULER_STANDBY_POLL": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _flask(args, env, log_path) -> subprocess.Popen:
    with log_path.open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "consult", *args],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )


def _counts(week) -> tuple[int, int]:
    """(reminder dispatches decided, reminder emails sent), read without lingering."""
    decided = db.session.scalar(
        select(func.count(ReminderDispatch.id)).where(
            ReminderDispatch.plan_item_id == week.id
        )
    )
    sent = db.session.scalar(
        select(func.count(OutboundEmail.id)).where(
            OutboundEmail.template == "reminder", OutboundEmail.status == "sent"
        )
    )
    db.session.rollback()
    return decided, sent


def _assert_each_reminder_once(received, week) -> None:
    reminders = [r for r in received if "Coming up" in r.message["Subject"]]
    recipients = Counter(r.rcpt_tos[0] for r in reminders)
    assert set(recipients) == {f"p{n}@example.org" for n in range(PEOPLE)}
    duplicated = {who: n for who, n in recipients.items() if n > 1}
    assert duplicated == {}
    assert _counts(week) == (PEOPLE, PEOPLE)
    keys = db.session.scalars(
        select(OutboundEmail.dedup_key).where(OutboundEmail.template == "reminder")
    ).all()
    assert len(keys) == len(set(keys)) == PEOPLE


@pytest.mark.slow
def test_two_cron_runs_at_once_send_each_reminder_once(
    app, database_url, make_reg_event, stype, smtp_sink, tmp_path
):
    _event, week = _event_with_a_due_reminder(make_reg_event, stype)
    env = _env(database_url, tmp_path, smtp_sink.port)
    deadline = time.monotonic() + 240
    rounds = 0
    while _counts(week)[1] < PEOPLE and time.monotonic() < deadline:
        rounds += 1
        pair = [
            _flask(["run-jobs", "--once"], env, tmp_path / f"run-{rounds}-{n}.log")
            for n in (1, 2)
        ]
        for process in pair:
            assert process.wait(120) == 0, (
                tmp_path / f"run-{rounds}-1.log"
            ).read_text()

    _assert_each_reminder_once(smtp_sink.handler.received, week)


@pytest.mark.slow
def test_two_scheduler_processes_send_each_reminder_once(
    app, database_url, make_reg_event, stype, smtp_sink, tmp_path
):
    _event, week = _event_with_a_due_reminder(make_reg_event, stype)
    env = _env(database_url, tmp_path, smtp_sink.port)
    processes = [
        _flask(["scheduler"], env, tmp_path / f"scheduler-{n}.log") for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 240
        while _counts(week)[1] < PEOPLE and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # more job intervals: nothing more may go out
    finally:
        for process in processes:
            process.kill()
            process.wait(10)

    _assert_each_reminder_once(smtp_sink.handler.received, week)
    logs = [(tmp_path / f"scheduler-{n}.log").read_text() for n in (1, 2)]
    assert sum("scheduler active" in log for log in logs) == 1
    assert all("Traceback" not in log for log in logs)
