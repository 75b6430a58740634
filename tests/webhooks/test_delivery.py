"""Delivering: signed POSTs to a real receiver, retries, timeouts, pausing,
re-sending and refused addresses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.webhooks.jobs import deliver_webhooks
from consult.webhooks.models import WebhookSubscription
from consult.webhooks.services import emit
from consult.webhooks.services.delivery import backoff_delay
from consult.webhooks.services.subscriptions import resend_delivery
from consult.webhooks.signing import timestamp_of
from tests.webhooks.conftest import deliveries, subscription

FACT = {"id": 41, "status": "confirmed"}


def _emit(event, now, kind="registration.created", fact=FACT):
    emit(event, kind, fact, now=now)
    db.session.commit()


def test_a_delivery_arrives_signed(reg_event, receiver, subscribe, now):
    sub = subscribe(reg_event, receiver)
    _emit(reg_event, now)
    report = deliver_webhooks(now=now)
    assert report.delivered == 1
    (got,) = receiver.received
    assert got.signature_ok
    assert got.data["kind"] == "registration.created"
    assert got.data["data"] == FACT
    assert got.headers["Consult-Webhook-Timestamp"] == timestamp_of(now)
    (row,) = deliveries(sub.id)
    assert got.headers["Consult-Webhook-Id"] == row.webhook_id
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)
    assert row.last_response == "ok"
    assert row.delivered_at is not None and row.last_duration_ms is not None


def test_a_wrong_secret_does_not_verify(reg_event, receiver, subscribe, now):
    subscribe(reg_event, receiver)
    receiver.secret = "whsec_not-the-one"
    _emit(reg_event, now)
    deliver_webhooks(now=now)
    assert [got.signature_ok for got in receiver.received] == [False]


def test_a_failure_is_retried_later_and_then_succeeds(
    reg_event, receiver, subscribe, now
):
    sub = subscribe(reg_event, receiver)
    receiver.statuses = [500]
    _emit(reg_event, now)
    first = deliver_webhooks(now=now)
    assert first.retried == 1
    (row,) = deliveries(sub.id)
    assert (row.status, row.attempts, row.last_status_code) == ("queued", 1, 500)
    assert row.last_response.startswith("broken")
    assert len(row.last_response.encode()) <= 500
    assert row.next_attempt_at == now + backoff_delay(1)
    # Not due yet: nothing is sent before the backoff is over.
    assert deliver_webhooks(now=now + timedelta(seconds=30)).claimed == 0
    later = now + backoff_delay(1)
    assert deliver_webhooks(now=later).delivered == 1
    (row,) = deliveries(sub.id)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 200)
    assert len(receiver.received) == 2
    assert all(got.signature_ok for got in receiver.received)
    # The same delivery both times: same id, same body.
    assert len({got.headers["Consult-Webhook-Id"] for got in receiver.received}) == 1
    assert len({got.body for got in receiver.received}) == 1
    assert subscription(sub.id).consecutive_failures == 0


def test_a_slow_receiver_is_a_failure_retried_later(
    reg_event, receiver, subscribe, now
):
    sub = subscribe(reg_event, receiver)
    receiver.delay = 3  # the tests' timeout is 1 s
    _emit(reg_event, now)
    report = deliver_webhooks(now=now)
    assert report.retried == 1
    (row,) = deliveries(sub.id)
    assert row.status == "queued" and row.attempts == 1
    assert row.last_error == "timed out" and row.last_status_code is None
    assert row.next_attempt_at > now
    receiver.delay = 0
    assert deliver_webhooks(now=row.next_attempt_at).delivered == 1


def test_backoff_doubles_up_to_six_hours():
    delays = [backoff_delay(n) for n in range(1, 12)]
    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2),
                          timedelta(minutes=4)]  # fmt: skip
    assert max(delays) == timedelta(hours=6)


def test_a_row_fails_for_good_after_the_last_attempt(
    app, reg_event, receiver, subscribe, now
):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    sub = subscribe(reg_event, receiver)
    receiver.statuses = [500, 500]
    _emit(reg_event, now)
    deliver_webhooks(now=now)
    assert deliver_webhooks(now=now + backoff_delay(1)).failed == 1
    (row,) = deliveries(sub.id)
    assert (row.status, row.attempts) == ("failed", 2)
    assert deliver_webhooks(now=now + timedelta(days=1)).claimed == 0


def test_failing_n_times_in_a_row_pauses_and_emails_the_owner(
    app, reg_event, receiver, subscribe, organiser, now, outbox
):
    app.config["WEBHOOK_PAUSE_AFTER_FAILURES"] = 3
    sub = subscribe(reg_event, receiver)
    receiver.statuses = [500] * 10
    for n in range(3):
        _emit(reg_event, now, fact={"id": n, "status": "confirmed"})
    report = deliver_webhooks(now=now)
    assert report.paused == [sub.id]
    paused = subscription(sub.id)
    assert paused.status == "paused" and paused.paused_reason == "failures"
    (mail,) = [m for m in outbox() if m.dedup_key.startswith("webhook-paused:")]
    assert mail.recipient == organiser.email
    assert receiver.url in mail.body_text
    assert f"/webhooks/{sub.id}/deliveries" in mail.body_text
    # Paused: its rows wait, nothing more is sent, no second email.
    _emit(reg_event, now, fact={"id": 99, "status": "confirmed"})
    assert deliver_webhooks(now=now + timedelta(hours=7)).claimed == 0
    assert len([m for m in outbox() if m.dedup_key.startswith("webhook-")]) == 1


def test_failing_for_a_day_pauses_too(reg_event, receiver, subscribe, now):
    sub = subscribe(reg_event, receiver)
    db.session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == sub.id)
        .values(consecutive_failures=1, failing_since=now - timedelta(hours=24))
    )
    receiver.statuses = [503]
    _emit(reg_event, now)
    assert deliver_webhooks(now=now).paused == [sub.id]
    assert subscription(sub.id).paused_reason == "failing_day"


def test_resend_sends_the_same_delivery_again(
    reg_event, receiver, subscribe, organiser, now
):
    sub = subscribe(reg_event, receiver)
    _emit(reg_event, now)
    deliver_webhooks(now=now)
    (row,) = deliveries(sub.id)
    resend_delivery(subscription(sub.id), row.id, organiser, now=now)
    db.session.commit()
    assert deliver_webhooks(now=now).delivered == 1
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["Consult-Webhook-Id"] == second.headers["Consult-Webhook-Id"]


def test_a_private_address_is_refused_at_delivery(
    app, reg_event, receiver, subscribe, now
):
    sub = subscribe(reg_event, receiver)
    _emit(reg_event, now)
    # Allowed when saved (development setting), refused when it is sent.
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    report = deliver_webhooks(now=now)
    assert report.retried == 1
    (row,) = deliveries(sub.id)
    assert row.last_error.startswith("refused")
    assert receiver.received == []


def test_a_crashed_run_is_sent_again_after_its_lease(
    reg_event, receiver, subscribe, now
):
    from consult.webhooks.services.delivery import claim_due

    sub = subscribe(reg_event, receiver)
    _emit(reg_event, now)
    assert len(claim_due(now=now, limit=10)) == 1
    db.session.commit()  # the run stops here, before its POST
    assert deliver_webhooks(now=now).claimed == 0
    assert deliver_webhooks(now=now + timedelta(minutes=6)).delivered == 1
    (row,) = deliveries(sub.id)
    assert row.status == "delivered"


def test_no_email_is_queued_for_a_healthy_subscription(
    reg_event, receiver, subscribe, now
):
    subscribe(reg_event, receiver)
    _emit(reg_event, now)
    deliver_webhooks(now=now)
    assert db.session.query(OutboundEmail).count() == 0


def test_the_receiver_in_the_docs_accepts_a_delivery(
    reg_event, receiver, subscribe, now
):
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
    code = re.search(r"```python\n(.*?)```", docs.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 (our own documentation's snippet)
    subscribe(reg_event, receiver)
    _emit(reg_event, now)
    deliver_webhooks(now=now)
    (got,) = receiver.received
    body = got.body.encode()
    assert namespace["verified"](receiver.secret, got.headers, body)
    assert not namespace["verified"]("whsec_other", got.headers, body)
    assert not namespace["verified"](receiver.secret, got.headers, body + b" ")
