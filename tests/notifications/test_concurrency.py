"""Several dispatchers share one outbox on PostgreSQL (real connections, threads)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox

ROWS = 40
DISPATCHERS = 3


def test_concurrent_dispatchers_send_each_message_exactly_once(
    app, backend, now, smtp_sink, use_smtp, queue_notice
):
    if backend != "postgresql":
        pytest.skip("SKIP LOCKED claims are a PostgreSQL feature")
    use_smtp(smtp_sink.port)
    expected = {
        queue_notice(f"many:{n}", to=f"p{n}@example.org").message_id
        for n in range(ROWS)
    }
    start = threading.Barrier(DISPATCHERS)
    sent_by: list[int] = []
    errors: list[BaseException] = []

    def dispatcher():
        try:
            # Its own app context: its own session and database connection.
            with app.app_context():
                start.wait(10)
                total = 0
                while (report := deliver_outbox(now=now, limit=4)).claimed:
                    total += report.sent
                sent_by.append(total)
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher) for _ in range(DISPATCHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors, errors
    received = [r.message["Message-ID"] for r in smtp_sink.handler.received]
    duplicates = [mid for mid, count in Counter(received).items() if count > 1]
    assert not duplicates
    assert set(received) == expected
    assert sum(sent_by) == ROWS
    # More than one dispatcher did real work, so the claims really interleaved.
    assert sum(1 for total in sent_by if total) >= 2
    db.session.expire_all()
    statuses = db.session.scalars(select(OutboundEmail.status)).all()
    assert statuses == ["sent"] * ROWS
