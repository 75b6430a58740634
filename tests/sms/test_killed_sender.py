"""A killed `consult scheduler` sending SMS through the gateway: at most one
duplicate (the message in flight), nothing lost (see tests/reliability/
test_scheduler_faults.py for the same test with email)."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from sqlalchemy import select

from consult.database import write_intent
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.sms.outbox import queue_sms
from consult.timeutil import now_utc
from tests.reliability.conftest import scheduler_env
from tests.test_scheduler import SchedulerProcess, _wait_for

from .gateway import ACCOUNT_SID, AUTH_TOKEN, start_gateway

PEOPLE = [f"+6012{n:07d}" for n in range(40)]


def _statuses() -> Counter:
    with write_intent(False):
        db.session.expire_all()
        statuses = Counter(
            db.session.scalars(
                select(OutboundEmail.status).where(OutboundEmail.channel == "sms")
            )
        )
        db.session.rollback()
    return statuses


@pytest.mark.slow
def test_a_sender_killed_mid_send_duplicates_at_most_the_message_in_flight(
    app, database_url, tmp_path
):
    now = now_utc()
    for number in PEOPLE:
        queue_sms(to=number, body="Forum tomorrow 9:00", dedup_key=number, now=now)
    db.session.commit()
    gateway = start_gateway()
    gateway.hold_at = 15  # takes the 15th, holds back its answer
    settings = {
        "SMS_GATEWAY_URL": gateway.base,
        "SMS_ACCOUNT_SID": ACCOUNT_SID,
        "SMS_AUTH_TOKEN": AUTH_TOKEN,
        "SMS_SENDER": "Consult",
        "SMS_TIMEOUT": "30",
        "OUTBOX_LEASE_SECONDS": "3",
    }
    env = scheduler_env(database_url, tmp_path, 9, **settings)
    first = SchedulerProcess(env, tmp_path / "first.log")
    second = None
    try:
        _wait_for(lambda: gateway.holding, 60, "the 15th SMS in flight")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        gateway.release()
        in_flight = gateway.numbers()[14]
        at_kill = _statuses()
        assert at_kill["sent"] == 14 and at_kill["sending"] >= 1

        second = SchedulerProcess(env, tmp_path / "second.log")
        _wait_for(lambda: _statuses()["sent"] == len(PEOPLE), 90, "the restart")
        time.sleep(2)  # more intervals: nothing more may go out
        assert "stale sends requeued" in second.output()
        assert "Traceback" not in second.output()
    finally:
        first.stop()
        if second is not None:
            second.stop()
        gateway.release()
        gateway.server.shutdown()
        gateway.server.server_close()
    counts = Counter(gateway.numbers())
    assert set(counts) == set(PEOPLE)  # nothing lost
    assert {number for number, n in counts.items() if n > 1} == {in_flight}
    assert counts[in_flight] == 2
