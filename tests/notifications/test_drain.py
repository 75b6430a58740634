"""The outbox job drains the queue batch after batch, within its interval."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.delivery import drain_outbox
from consult.notifications.jobs import deliver_outbox_job
from consult.notifications.models import OutboundEmail

from .conftest import free_port


def _statuses() -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)
    )
    return dict(rows.all())


def test_one_run_of_the_job_sends_a_round_larger_than_a_batch(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    app.config["OUTBOX_BATCH_SIZE"] = 4
    for n in range(10):
        queue_notice(f"round:{n}", to=f"person{n}@example.org")

    outcome = deliver_outbox_job(now=now)

    assert _statuses() == {"sent": 10}
    assert len(smtp_sink.handler.received) == 10
    # 4 + 4 + 2: the short third batch says the queue is empty.
    assert outcome.endswith("in 3 batches") and outcome.startswith("sent 10,")


def test_a_run_stops_at_its_time_and_the_next_carries_on(
    app, now, smtp_sink, use_smtp, queue_notice
):
    use_smtp(smtp_sink.port)
    app.config["OUTBOX_BATCH_SIZE"] = 3
    for n in range(7):
        queue_notice(f"slow:{n}", to=f"person{n}@example.org")

    first = drain_outbox(now=now, seconds=0)  # no time left after one batch

    assert (first.sent, first.batches) == (3, 1)
    assert _statuses() == {"sent": 3, "queued": 4}
    second = drain_outbox(now=now, seconds=60)
    assert (second.sent, second.batches) == (4, 2)
    assert _statuses() == {"sent": 7}


def test_a_lost_mail_server_ends_the_run_without_spending_attempts(
    app, now, use_smtp, queue_notice
):
    use_smtp(free_port(), timeout=2)  # nothing listens there
    app.config["OUTBOX_BATCH_SIZE"] = 2
    for n in range(5):
        queue_notice(f"down:{n}", to=f"person{n}@example.org")

    report = drain_outbox(now=now, seconds=60)

    assert report.batches == 1 and report.server_lost
    db.session.expire_all()
    rows = db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert {row.status for row in rows} == {"queued"}
    # The one tried spent an attempt; the rest of its batch and the next
    # batches were not tried at all.
    assert sorted(row.attempts for row in rows) == [0, 0, 0, 0, 1]
