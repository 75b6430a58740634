"""Webhook tests: a real receiver (a threaded http.server on 127.0.0.1) that
checks each delivery's signature as docs/webhooks.md tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from consult.extensions import db
from consult.webhooks.models import WebhookSubscription
from tests.factories import SERVER_NAMED

ALL_KINDS = [
    "registration.created",
    "registration.confirmed",
    "registration.waitlisted",
    "registration.promoted",
    "registration.cancelled",
    "attendance.imported",
    "input.submitted",
    "survey.response",
    "results.published",
]


@pytest.fixture
def app_config():
    # Short enough that the slow receiver's test stays short.
    return {**SERVER_NAMED, "WEBHOOK_TIMEOUT_SECONDS": 1}


@dataclass
class Received:
    headers: dict
    body: str
    signature_ok: bool

    @property
    def data(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the receiver got, and how it answers: ``statuses`` in turn (then
    200), each after ``delay`` seconds."""

    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def verify(self, headers: dict, body: bytes) -> bool:
        timestamp = headers.get("Consult-Webhook-Timestamp", "")
        given = headers.get("Consult-Webhook-Signature", "")
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(given, f"v1={expected}")


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = dict(self.headers.items())
            with receiver.lock:
                receiver.received.append(
                    Received(headers, body.decode(), receiver.verify(headers, body))
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
            if receiver.delay:
                time.sleep(receiver.delay)
            answer = b"ok" if status < 300 else b"broken " * 200
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the sender gave up waiting

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribe(organiser, now):
    """subscribe(event, receiver, kinds=ALL_KINDS) -> committed subscription,
    the receiver told its secret."""
    from consult.webhooks.services.subscriptions import (
        SubscriptionData,
        create_subscription,
    )

    def _subscribe(event, receiver, kinds=ALL_KINDS, owner=None):
        row = create_subscription(
            event, owner or organiser, SubscriptionData(receiver.url, tuple(kinds)),
            now=now,
        )  # fmt: skip
        db.session.commit()
        receiver.secret = row.secret
        return row

    return _subscribe


def deliveries(subscription_id=None):
    from sqlalchemy import select

    from consult.webhooks.models import WebhookDelivery

    db.session.rollback()
    query = select(WebhookDelivery).order_by(WebhookDelivery.id)
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    return list(db.session.scalars(query))


def subscription(subscription_id) -> WebhookSubscription:
    db.session.rollback()
    return db.session.get(WebhookSubscription, subscription_id)
