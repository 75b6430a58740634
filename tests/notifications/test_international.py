"""Internationalised addresses (sofía@…) through a real SMTP server, with and
without SMTPUTF8; failures that can never succeed are not offered for retry."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_string, policy

import pytest
from aiosmtpd.controller import Controller

from consult.errors import Conflict
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox, retry_email

from .conftest import SinkHandler, free_port

SOFIA = "sofía@example.co"


@dataclass
class OptionsHandler(SinkHandler):
    """The sink, also keeping each message's MAIL FROM parameters."""

    mail_options: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.mail_options.append(list(envelope.mail_options))
        return await super().handle_DATA(server, session, envelope)


def _server(smtputf8: bool):
    controller = Controller(
        OptionsHandler(),
        hostname="127.0.0.1",
        port=free_port(),
        enable_SMTPUTF8=smtputf8,
    )
    controller.start()
    return controller


@pytest.fixture
def utf8_sink():
    """A real aiosmtpd server that offers SMTPUTF8 (RFC 6531)."""
    controller = _server(smtputf8=True)
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def plain_sink():
    """A real aiosmtpd server that does not (aiosmtpd's Controller offers it
    unless told otherwise)."""
    controller = _server(smtputf8=False)
    try:
        client = smtplib.SMTP("127.0.0.1", controller.port, timeout=5)
        client.ehlo()
        assert not client.has_extn("smtputf8")
        client.quit()
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def event(organiser, now):
    event = Event(
        slug="pj-consultation",
        title="Designing Circular Cities",
        timezone="Asia/Kuala_Lumpur",
        start_at=now + timedelta(days=20),
        end_at=now + timedelta(days=20, hours=2),
        owner_id=organiser.id,
        status="published",
    )
    db.session.add(event)
    db.session.commit()
    return event


def _reload(email) -> OutboundEmail:
    db.session.expire_all()
    return db.session.get(OutboundEmail, email.id)


def _decoded(received):
    # The headers are UTF-8 (RFC 6532): read them as text, not as ASCII.
    return message_from_string(received.content.decode("utf-8"), policy=policy.default)


def test_mailbox_keeps_ascii_addresses_and_encodes_only_the_domain():
    from consult.notifications.mime import mailbox

    assert mailbox("jan@example.nl").envelope == "jan@example.nl"
    assert not mailbox("jan@example.nl").smtputf8
    idn = mailbox("jan@bücher.de")
    assert (idn.envelope, idn.smtputf8) == ("jan@xn--bcher-kva.de", False)
    sofia = mailbox(SOFIA)
    assert (sofia.envelope, sofia.smtputf8) == (SOFIA, True)


def test_internationalised_address_is_delivered_with_smtputf8(
    now, utf8_sink, use_smtp, queue_notice
):
    use_smtp(utf8_sink.port)
    email = queue_notice("intl:1", to=SOFIA, to_name="Sofía Ramos, PJ")

    report = deliver_outbox(now=now)

    assert (report.sent, report.failed) == (1, 0)
    assert _reload(email).status == "sent"
    [received] = utf8_sink.handler.received
    assert received.rcpt_tos == [SOFIA]
    assert "SMTPUTF8" in utf8_sink.handler.mail_options[0]
    message = _decoded(received)
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Sofía Ramos, PJ", SOFIA)
    assert message["Message-ID"] == email.message_id
    assert "See the new times." in message.get_body(("plain",)).get_content()


def test_ascii_mail_to_a_smtputf8_server_does_not_ask_for_it(
    now, utf8_sink, use_smtp, queue_notice
):
    use_smtp(utf8_sink.port)
    queue_notice("intl:2", to="jan@example.nl")
    assert deliver_outbox(now=now).sent == 1
    assert "SMTPUTF8" not in utf8_sink.handler.mail_options[0]
    assert utf8_sink.handler.received[0].content.isascii()


def test_non_ascii_domain_goes_out_in_ascii_without_smtputf8(
    now, plain_sink, use_smtp, queue_notice
):
    use_smtp(plain_sink.port)
    queue_notice("intl:3", to="jan@bücher.de", to_name="Jan Müller")
    assert deliver_outbox(now=now).sent == 1
    [received] = plain_sink.handler.received
    assert received.rcpt_tos == ["jan@xn--bcher-kva.de"]
    assert received.message["To"].addresses[0].addr_spec == "jan@xn--bcher-kva.de"


def test_without_smtputf8_it_fails_for_good_with_the_reason(
    now, plain_sink, use_smtp, queue_notice
):
    use_smtp(plain_sink.port)
    sofia = queue_notice("intl:4", to=SOFIA)
    jan = queue_notice("intl:5", to="jan@example.nl")

    report = deliver_outbox(now=now)

    # The rest of the batch still goes out.
    assert (report.sent, report.failed, report.retried) == (1, 1, 0)
    assert [r.rcpt_tos for r in plain_sink.handler.received] == [["jan@example.nl"]]
    failed = _reload(sofia)
    assert (failed.status, failed.attempts, failed.retryable) == ("failed", 1, False)
    assert SOFIA in failed.last_error and "SMTPUTF8" in failed.last_error
    assert _reload(jan).status == "sent"
    # Nothing picks it up again.
    assert deliver_outbox(now=now + timedelta(days=1)).claimed == 0


def test_a_message_that_can_never_succeed_is_not_retried(
    now, plain_sink, use_smtp, queue_notice
):
    use_smtp(plain_sink.port)
    email = queue_notice("intl:6", to=SOFIA)
    deliver_outbox(now=now)
    with pytest.raises(Conflict, match="SMTPUTF8"):
        retry_email(email.id, now=now)
    assert _reload(email).status == "failed"


def test_outbox_page_offers_no_retry_and_the_route_refuses(
    now, client, login, organiser, event, plain_sink, use_smtp, queue_notice
):
    use_smtp(plain_sink.port)
    never = queue_notice("intl:7", to=SOFIA, event=event)
    deliver_outbox(now=now)
    cured = queue_notice("intl:8", to="jan@example.nl", event=event)
    cured.status, cured.last_error = "failed", "550 mailbox unavailable"
    db.session.commit()
    login(organiser)
    base = f"/manage/events/{event.slug}/notifications"

    html = client.get(base + "?status=failed").get_data(as_text=True)

    assert f"{base}/{cured.id}/retry" in html
    assert f"{base}/{never.id}/retry" not in html
    assert "Cannot be retried" in html and "SMTPUTF8" in html
    assert client.post(f"{base}/{never.id}/retry").status_code == 409
    assert _reload(never).status == "failed"
    assert client.post(f"{base}/{cured.id}/retry").status_code == 302
    assert _reload(cured).status == "queued"


def test_dashboard_shows_the_event_failed_messages(
    now, client, login, organiser, event, plain_sink, use_smtp, queue_notice
):
    use_smtp(plain_sink.port)
    queue_notice("intl:9", to=SOFIA, subject="Your seat", event=event)
    queue_notice("intl:10", to="jan@example.nl", event=event)
    deliver_outbox(now=now)
    login(organiser)

    html = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)

    assert "1 email about this event could not be sent." in html
    assert f"/manage/events/{event.slug}/notifications?status=failed" in html
    assert SOFIA in html and "Your seat" in html and "SMTPUTF8" in html
    assert "(cannot be retried)" in html


def test_dashboard_without_failures_says_nothing_about_them(
    client, login, organiser, event, queue_notice
):
    queue_notice("intl:11", to="jan@example.nl", event=event)
    login(organiser)
    html = client.get(f"/manage/events/{event.slug}/dashboard").get_data(as_text=True)
    assert "could not be sent" not in html
