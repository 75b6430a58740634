"""Two runs of the delivery job at once on PostgreSQL: every row is sent once
(``FOR UPDATE SKIP LOCKED`` claims), with real connections in threads."""

from __future__ import annotations

from collections import Counter

import pytest

from consult.extensions import db
from consult.webhooks.jobs import deliver_webhooks
from consult.webhooks.services import emit
from tests.conftest import FIXED_NOW
from tests.registration.test_concurrency import run_together
from tests.webhooks.conftest import deliveries


def test_two_runs_at_once_deliver_each_row_once(
    app, backend, reg_event, receiver, subscribe
):
    if backend != "postgresql":
        pytest.skip("SKIP LOCKED claims: PostgreSQL")
    sub = subscribe(reg_event, receiver)
    for n in range(30):
        emit(reg_event, "registration.created", {"id": n}, now=FIXED_NOW)
    db.session.commit()
    receiver.delay = 0.05  # both runs are still sending while the other claims

    def run():
        # Half each: the second run takes the rows the first did not lock.
        return deliver_webhooks(now=FIXED_NOW, limit=15)

    reports, errors = run_together(app, [run, run])
    assert errors == []
    ids = Counter(got.headers["Consult-Webhook-Id"] for got in receiver.received)
    assert len(ids) == 30 and set(ids.values()) == {1}
    assert sum(report.delivered for report in reports) == 30
    assert {row.status for row in deliveries(sub.id)} == {"delivered"}
