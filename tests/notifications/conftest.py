"""Fixtures for the outbox: a real SMTP server on 127.0.0.1, a stalling one, helpers."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from consult.extensions import db
from consult.notifications.services import queue_email


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.content, policy=policy.default)


@dataclass
class SinkHandler:
    """Accepts everything unless told to answer RCPT or DATA with an error."""

    rcpt_reply: str | None = None
    data_reply: str | None = None
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    """A real aiosmtpd server on a free port; `.handler.received` holds messages."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def stalling_server():
    """Accepts TCP connections (kernel backlog) but never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@pytest.fixture
def use_smtp(app):
    """use_smtp(port, timeout=20): send through 127.0.0.1:port for real.

    The in-process sink answers at once; the timeout only has to outlast a
    busy machine (5 s did not, with the suite in two workers and more).
    """

    def _use(port: int, timeout: int = 20) -> None:
        app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            MAIL_TIMEOUT=timeout,
            MAIL_USE_TLS=False,
            MAIL_USE_SSL=False,
            # Flask-Mail suppresses sending when testing unless told otherwise.
            MAIL_SUPPRESS_SEND=False,
            MAIL_DEFAULT_SENDER="Consult <no-reply@consult.example>",
        )

    return _use


@pytest.fixture
def queue_notice(app, now):
    """queue_notice(key, to=..., **kw) -> a committed OutboundEmail (template notice)."""

    def _queue(key: str, to: str = "ana@example.org", **kwargs):
        email = queue_email(
            template="notice",
            to=to,
            subject=kwargs.pop("subject", f"Notice {key}"),
            context={"heading": "Agenda updated", "paragraphs": ["See the new times."]},
            dedup_key=key,
            now=kwargs.pop("at", now),
            **kwargs,
        )
        db.session.commit()
        return email

    return _queue
