"""The SMS gateway adapter against a local server shaped like Twilio's API."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.notifications.sms.outbox import queue_sms

from .gateway import ACCOUNT_SID, AUTH_TOKEN, PATH, error, start_gateway

TO = "+60123456789"
SENDER = "+15005550006"


@pytest.fixture
def gateway(app):
    gateway = start_gateway()
    app.config.update(
        SMS_GATEWAY_URL=gateway.base,
        SMS_ACCOUNT_SID=ACCOUNT_SID,
        SMS_AUTH_TOKEN=AUTH_TOKEN,
        SMS_SENDER=SENDER,
        SMS_MESSAGING_SERVICE_SID="",
        SMS_TIMEOUT=1,
    )
    yield gateway
    gateway.release()
    gateway.server.shutdown()
    gateway.server.server_close()


def _queue(now, text="Kuala Lumpur forum: you are registered.", to=TO, key="t1"):
    row_id = queue_sms(to=to, body=text, dedup_key=key, now=now)
    db.session.commit()
    return row_id


def _row(row_id) -> OutboundEmail:
    db.session.expire_all()
    return db.session.get(OutboundEmail, row_id)


def test_the_exact_request_and_a_created_message(app, gateway, now):
    row_id = _queue(now, text="Forum: you are registered. Café €5")
    report = deliver_outbox(now=now)
    assert report.sent == 1
    [request] = gateway.received
    assert request.method == "POST" and request.path == PATH
    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.fields == {
        "To": [TO],
        "From": [SENDER],
        "Body": ["Forum: you are registered. Café €5"],
    }
    row = _row(row_id)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, now)


def test_a_messaging_service_replaces_the_from_field(app, gateway, now):
    app.config["SMS_MESSAGING_SERVICE_SID"] = "MG0123456789abcdef0123456789abcdef"
    _queue(now)
    assert deliver_outbox(now=now).sent == 1
    [request] = gateway.received
    assert "From" not in request.fields
    assert request.fields["MessagingServiceSid"] == [
        "MG0123456789abcdef0123456789abcdef"
    ]


def test_a_400_fails_for_good_with_the_gateways_reason(app, gateway, now):
    gateway.planned.append(error(400, 21211, "Invalid 'To' Phone Number: +6012345"))
    row_id = _queue(now)
    report = deliver_outbox(now=now)
    assert report.failed == 1 and report.retried == 0
    row = _row(row_id)
    assert row.status == "failed" and row.retryable is False
    assert "21211" in row.last_error and "Invalid 'To' Phone Number" in row.last_error
    # No retry: a later run sends nothing more.
    deliver_outbox(now=now + timedelta(days=1))
    assert len(gateway.received) == 1


def test_a_401_fails_without_retry_but_may_be_retried_by_hand(app, gateway, now):
    gateway.planned.append(error(401, 20003, "Authenticate"))
    row_id = _queue(now)
    deliver_outbox(now=now)
    row = _row(row_id)
    assert row.status == "failed" and row.retryable is True
    assert "20003" in row.last_error and "Authenticate" in row.last_error


def test_an_outage_is_retried_with_backoff_then_sent_once(app, gateway, now):
    gateway.planned += [
        error(503, 20503, "Service Unavailable"),
        error(500, 20500, "Internal Server Error"),
    ]
    row_id = _queue(now)
    report = deliver_outbox(now=now)
    assert report.retried == 1
    row = _row(row_id)
    assert row.status == "queued" and row.next_attempt_at == now + timedelta(minutes=1)
    assert "503" in row.last_error
    # Not due yet: nothing is sent before its retry time.
    deliver_outbox(now=now + timedelta(seconds=30))
    assert len(gateway.received) == 1
    deliver_outbox(now=now + timedelta(minutes=1))
    row = _row(row_id)
    assert row.status == "queued" and row.next_attempt_at == now + timedelta(minutes=3)
    report = deliver_outbox(now=now + timedelta(minutes=3))
    assert report.sent == 1
    assert gateway.numbers() == [TO, TO, TO]
    row = _row(row_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_a_timeout_is_temporary(app, gateway, now):
    gateway.delay = 2  # longer than SMS_TIMEOUT
    row_id = _queue(now)
    report = deliver_outbox(now=now)
    assert report.retried == 1
    row = _row(row_id)
    assert row.status == "queued" and "timed out" in row.last_error


def test_a_429_is_temporary(app, gateway, now):
    gateway.planned.append(error(429, 20429, "Too Many Requests"))
    row_id = _queue(now)
    deliver_outbox(now=now)
    assert _row(row_id).status == "queued"


def test_email_and_sms_share_one_batch(app, gateway, now, outbox):
    from consult.notifications.services import queue_email

    queue_email(
        template="notice",
        to="a@example.org",
        subject="Notice",
        context={"heading": "Hello", "paragraphs": ["Text."]},
        dedup_key="mail:1",
        now=now,
    )
    _queue(now)
    report = deliver_outbox(now=now)
    assert report.sent == 2 and gateway.numbers() == [TO]
    rows = db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [(r.channel, r.status) for r in rows] == [
        ("email", "sent"),
        ("sms", "sent"),
    ]
