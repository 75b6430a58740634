"""Done means: 1,000 reminders survive a sender killed mid-send (PostgreSQL, real SMTP)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)
from consult.registration.models import Registration
from consult.signing import new_nonce
from consult.timeutil import now_utc
from tests.processes import die_with_parent

REPO = Path(__file__).resolve().parents[3]
PEOPLE = 1000
KILL_RUNS = (2, 5)  # the sender runs killed mid-batch


def add_confirmed_people(event, stype, now, count: int = PEOPLE, type_key="government"):
    """`count` confirmed registrants p0@example.org ... of one stakeholder type."""
    kind = stype(event, type_key)
    db.session.add_all(
        Registration(
            event_id=event.id,
            stakeholder_type_id=kind.id,
            full_name=f"Person {n}",
            email=f"p{n}@example.org",
            status="confirmed",
            timezone="Europe/Berlin",
            privacy_notice_version=event.privacy_notice_version,
            privacy_consented_at=now,
            manage_nonce=new_nonce(),
            created_at=now,
            updated_at=now,
            confirmed_at=now,
        )
        for n in range(count)
    )
    event.confirmed_count = count
    db.session.commit()


def _run_jobs(env, log_path) -> subprocess.Popen:
    with log_path.open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "consult", "run-jobs",
             "--once"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )  # fmt: skip


def _unsent() -> int:
    count = db.session.scalar(
        select(func.count(OutboundEmail.id)).where(OutboundEmail.status != "sent")
    )
    db.session.rollback()
    return count


@pytest.mark.slow
def test_a_killed_sender_loses_no_reminder_and_duplicates_share_the_message_id(
    app, backend, database_url, make_reg_event, stype, now, smtp_sink, tmp_path
):
    if backend != "postgresql":
        pytest.skip("the Done-means kill test runs on PostgreSQL")
    # The sender runs on the real clock: the 7-day reminder fell due yesterday.
    real_now = now_utc()
    event = make_reg_event(capacity=None)
    event.start_at = real_now + timedelta(days=6)
    event.end_at = event.start_at + timedelta(hours=2)
    event.registration_closes_at = None
    week = ensure_default_plan(event, now=real_now - timedelta(days=10))[0]
    db.session.commit()
    add_confirmed_people(event, stype, real_now - timedelta(days=9))
    assert due_at(week, event) < real_now
    assert enqueue_due_reminders(now=real_now).queued == PEOPLE
    env = {
        **os.environ,
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
        "CONSULT_INSTANCE_DIR": str(tmp_path / "instance"),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_sink.port),
        "OUTBOX_BATCH_SIZE": "100",
        # A killed sender's claims come back after this many seconds. The
        # sender composes each reminder when it claims it (and checks a stored
        # one again), within 80% of the lease: a batch of 100 on a busy
        # machine needs more than the 2.4 s a 3-second lease leaves.
        "OUTBOX_LEASE_SECONDS": "15",
        # One run drains batches for up to its interval less a second: at 1 s,
        # about one batch per run, so the queue lasts past the second kill.
        "SCHEDULER_OUTBOX_INTERVAL": "1",
        "PYTHONUNBUFFERED": "1",
    }
    received = smtp_sink.handler.received
    kills = 0
    deadline = time.monotonic() + 240
    for run in range(1, 200):
        if not _unsent() or time.monotonic() > deadline:
            break
        before = len(received)
        log_path = tmp_path / f"run-{run}.log"
        process = _run_jobs(env, log_path)
        if run in KILL_RUNS:
            # Mid-batch: some of its claims sent, the rest still leased.
            while len(received) < before + 40 and process.poll() is None:
                time.sleep(0.005)
            alive = process.poll() is None
            process.send_signal(signal.SIGKILL)
            kills += alive
        process.wait(120)
        if run in KILL_RUNS or "sent 0" in log_path.read_text():
            time.sleep(1)  # leases of killed claims run out after a few seconds

    assert _unsent() == 0
    recipients = Counter(r.rcpt_tos[0] for r in received)
    assert set(recipients) == {f"p{n}@example.org" for n in range(PEOPLE)}
    assert kills == len(KILL_RUNS)
    assert len(received) - PEOPLE <= kills
    by_recipient: dict[str, set[str]] = {}
    for r in received:
        by_recipient.setdefault(r.rcpt_tos[0], set()).add(r.message["Message-ID"])
    assert all(len(ids) == 1 for ids in by_recipient.values())
    subject = received[0].message["Subject"]
    assert (
        subject.startswith("Coming up in ") and "Designing Circular Cities" in subject
    )
