"""The SMTP relay's certificate is verified: a self-signed one is refused."""

from __future__ import annotations

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from consult.notifications.delivery import deliver_outbox
from tests.notifications.conftest import SinkHandler, free_port


@pytest.fixture
def self_signed_starttls_server(tmp_path):
    """An SMTP server offering STARTTLS with a certificate nobody signed."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = SinkHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), tls_context=context
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def test_starttls_to_an_unverifiable_certificate_is_not_used(
    app, now, use_smtp, queue_notice, self_signed_starttls_server
):
    use_smtp(self_signed_starttls_server.port)
    app.config["MAIL_USE_TLS"] = True
    email = queue_notice("tls-1")

    report = deliver_outbox(now=now)

    assert report.sent == 0
    assert self_signed_starttls_server.handler.received == []
    assert email.status == "queued" and email.attempts == 1
    assert "CERTIFICATE_VERIFY_FAILED" in email.last_error
