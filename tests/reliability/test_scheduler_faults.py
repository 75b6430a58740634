"""The real `consult scheduler` process against a real SMTP server that fails.

Already covered elsewhere, not repeated here:
- the dispatcher's handling of each failure, in-process: tests/notifications/
  test_delivery.py (4xx retried with backoff, 5xx failed with the reason, a
  server silent from the greeting on, a crashed sender's claims requeued);
- a sender killed mid-batch: tests/notifications/reminders/
  test_reminders_kill.py (1,000 reminders, `run-jobs --once` killed twice);
- two schedulers, one active, a standby taking over: tests/test_scheduler.py
  and tests/notifications/reminders/test_reminders_processes.py.

Here, end to end through the long-running scheduler: killed with SIGKILL in the
middle of a batch and started again; a burst of 4xx answers then recovery;
5xx answers shown on the admin's outbox page; a server that stops answering in
the middle of a conversation. Backoff waits are minutes long, so after a
failure the test moves the retry time of waiting messages to now (the clock
"passing") rather than sleeping.
"""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from sqlalchemy import select, update

from consult.database import write_intent
from consult.extensions import db
from consult.notifications.models import OutboundEmail, SchedulerHeartbeat
from consult.notifications.services import queue_email
from consult.timeutil import now_utc
from tests.test_scheduler import SchedulerProcess, _wait_for

from .conftest import Browser, received_by, scheduler_env

BATCH = 50  # OUTBOX_BATCH_SIZE of the scheduler under test (scheduler_env)


def _queue(recipients: list[str], prefix: str) -> dict[str, str]:
    """Queue one notice per recipient, due now; returns recipient -> Message-ID."""
    now = now_utc()
    ids = {}
    for to in recipients:
        email = queue_email(
            template="notice",
            to=to,
            subject=f"Agenda updated ({prefix})",
            context={"heading": "Agenda updated", "paragraphs": ["New times."]},
            dedup_key=f"{prefix}:{to}",
            now=now,
        )
        ids[to] = email.message_id
    db.session.commit()
    return ids


def _rows() -> dict[str, OutboundEmail]:
    """The outbox by recipient, read in a short read-only transaction."""
    with write_intent(False):
        db.session.expire_all()
        rows = {r.recipient: r for r in db.session.scalars(select(OutboundEmail))}
        for row in rows.values():
            db.session.expunge(row)
        db.session.rollback()
    return rows


def _statuses() -> Counter:
    return Counter(row.status for row in _rows().values())


def _let_the_backoff_pass() -> int:
    """Waiting messages become due now, as if their retry time had come."""
    moved = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == "queued")
        .values(next_attempt_at=now_utc())
    ).rowcount
    db.session.commit()
    return moved


def _heartbeat(job: str):
    with write_intent(False):
        at = db.session.scalar(
            select(SchedulerHeartbeat.last_run_at).where(SchedulerHeartbeat.job == job)
        )
        db.session.rollback()
    return at


def _assert_each_delivered_once_with_its_id(handler, ids: dict[str, str]) -> None:
    by_recipient = received_by(handler)
    assert set(by_recipient) == set(ids)
    duplicated = {to: len(m) for to, m in by_recipient.items() if len(m) > 1}
    assert duplicated == {}
    for to, [message] in by_recipient.items():
        assert message.message["Message-ID"].strip() == ids[to]


@pytest.fixture
def scheduler(database_url, tmp_path, smtp):
    """start(**settings) -> a running `consult scheduler`; all stopped at the end."""
    started: list[SchedulerProcess] = []

    def start(**settings) -> SchedulerProcess:
        env = scheduler_env(database_url, tmp_path, smtp.port, **settings)
        process = SchedulerProcess(env, tmp_path / f"scheduler-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.mark.slow
def test_scheduler_killed_mid_batch_and_restarted_loses_nothing(app, scheduler, smtp):
    people = [f"k{n}@example.org" for n in range(300)]
    ids = _queue(people, "kill")
    received = smtp.handler.received
    smtp.handler.hold_at = 80  # the server takes the 80th, holds back its "250"
    first = scheduler(OUTBOX_LEASE_SECONDS=3)
    _wait_for(lambda: smtp.handler.holding, 60, "the 80th message in flight")
    first.process.send_signal(signal.SIGKILL)  # no cleanup of any kind runs
    first.process.wait(10)
    smtp.handler.holding = False
    taken = {r.rcpt_tos[0] for r in received[:80]}
    at_kill = _rows()
    recorded = {to for to, row in at_kill.items() if row.status == "sent"}
    # In flight: taken by the server, not yet recorded as sent by the sender
    # (the held message, and any whose outcome was still to be written).
    in_flight = taken - recorded
    assert received[79].rcpt_tos[0] in in_flight
    assert recorded <= taken
    # Killed in the middle of a batch: its claims were left "sending".
    assert all(at_kill[to].status == "sending" for to in in_flight)
    assert len(in_flight) <= BATCH

    second = scheduler(OUTBOX_LEASE_SECONDS=3)
    _wait_for(lambda: _statuses()["sent"] == len(people), 90, "the restarted scheduler")
    time.sleep(2)  # more intervals: nothing more may go out
    assert "scheduler active" in second.output()
    assert "stale sends requeued" in second.output()
    assert "Traceback" not in second.output()

    by_recipient = received_by(smtp.handler)
    assert set(by_recipient) == set(people)  # nothing lost
    # Only messages in flight at the kill arrive twice, under the same id;
    # nothing recorded as sent goes out again.
    counts = Counter({to: len(messages) for to, messages in by_recipient.items()})
    assert {to for to, n in counts.items() if n > 1} == in_flight
    assert max(counts.values()) == 2
    for to, messages in by_recipient.items():
        assert {m.message["Message-ID"].strip() for m in messages} == {ids[to]}
    assert all(row.status == "sent" for row in _rows().values())


@pytest.mark.slow
def test_a_burst_of_temporary_refusals_then_recovery_delivers_each_once(
    app, scheduler, smtp
):
    people = [f"t{n}@example.org" for n in range(30)]
    ids = _queue(people, "greylist")
    burst = 12
    handler = smtp.handler
    handler.refuse = lambda address: (
        "451 4.7.1 Greylisted, try again later"
        if len(handler.rcpt_seen) <= burst
        else None
    )
    scheduler()

    def settled():
        statuses = _statuses()
        return statuses["sent"] == len(people) - burst and statuses["queued"] == burst

    _wait_for(settled, 60, "the first pass")
    refused = {to for to, row in _rows().items() if row.status == "queued"}
    assert len(refused) == burst
    for to in refused:
        row = _rows()[to]
        assert row.attempts == 1 and "451 4.7.1 Greylisted" in row.last_error
        assert row.next_attempt_at > now_utc()  # backing off, not hammering

    assert _let_the_backoff_pass() == burst
    _wait_for(lambda: _statuses()["sent"] == len(people), 60, "the retries")
    time.sleep(2)
    _assert_each_delivered_once_with_its_id(handler, ids)
    for to in refused:
        row = _rows()[to]
        assert row.attempts == 2 and row.last_error == ""


@pytest.mark.slow
def test_permanent_refusals_fail_with_the_reason_on_the_outbox_page(
    request, app, make_user, scheduler, smtp
):
    good = [f"g{n}@example.org" for n in range(6)]
    bad = [f"bounce{n}@example.org" for n in range(3)]
    ids = _queue(good + bad, "bounce")
    handler = smtp.handler
    handler.refuse = lambda address: (
        "550 5.1.1 No such user here" if address.startswith("bounce") else None
    )
    make_user("admin@example.org", role="admin")
    scheduler()
    _wait_for(
        lambda: _statuses() == {"sent": len(good), "failed": len(bad)},
        60,
        "every message to be decided",
    )
    time.sleep(2.5)  # more intervals: a permanent refusal is never retried
    assert Counter(handler.rcpt_seen) == {to: 1 for to in good + bad}
    _assert_each_delivered_once_with_its_id(handler, {to: ids[to] for to in good})
    rows = _rows()
    for to in bad:
        assert rows[to].attempts == 1
        assert "550 5.1.1 No such user here" in rows[to].last_error

    web = request.getfixturevalue("web")
    admin = Browser(web.base)
    admin.log_in("admin@example.org")
    page = admin.get("/manage/outbox?status=failed")
    assert page.status == 200
    assert page.body.count("550 5.1.1 No such user here") == len(bad)
    assert all(to in page.body for to in bad)
    assert not any(to in page.body for to in good)


@pytest.mark.slow
def test_a_server_that_stops_answering_defers_the_batch_and_loses_nothing(
    app, scheduler, smtp
):
    people = [f"s{n}@example.org" for n in range(20)]
    ids = _queue(people, "stall")
    handler = smtp.handler
    handler.stall = True  # greets, accepts MAIL FROM, then silence at RCPT
    process = scheduler(MAIL_TIMEOUT=2)
    _wait_for(lambda: handler.rcpt_seen, 60, "the scheduler to reach the server")

    def deferred():
        rows = _rows().values()
        return all(r.status == "queued" and r.last_error for r in rows)

    _wait_for(deferred, 60, "the stalled batch to be given back")
    rows = _rows()
    # One message was attempted and timed out; the rest were given back
    # without spending an attempt, all due again later.
    assert sorted(r.attempts for r in rows.values()) == [0] * 19 + [1]
    assert all(r.next_attempt_at > now_utc() for r in rows.values())
    assert all("SMTP connection" in r.last_error for r in rows.values())
    assert handler.received == []
    # The process is not hung: its jobs keep running.
    beat = _heartbeat("heartbeat")
    _wait_for(lambda: _heartbeat("heartbeat") > beat, 30, "a later heartbeat")
    assert process.process.poll() is None

    handler.stall = False
    assert _let_the_backoff_pass() == len(people)
    _wait_for(lambda: _statuses()["sent"] == len(people), 60, "the recovery")
    time.sleep(2)
    _assert_each_delivered_once_with_its_id(handler, ids)
    assert "Traceback" not in process.output()
