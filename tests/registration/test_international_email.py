"""Registering with an internationalised address: accepted, mailed, delivered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from consult.timeutil import now_utc
from tests.notifications.test_international import _server
from tests.registration.test_public_pages import form

SOFIA = "sofía@example.co"


@pytest.fixture
def utf8_server(app):
    controller = _server(smtputf8=True)
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_TIMEOUT=20,  # outlasts a busy machine; the server answers at once
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_SUPPRESS_SEND=False,
        MAIL_DEFAULT_SENDER="Consult <no-reply@consult.example>",
    )
    try:
        yield controller
    finally:
        controller.stop()


def test_register_page_lets_the_browser_send_any_address(client, reg_event):
    page = client.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    [tag] = [t for t in page.split("<input")[1:] if 'name="email"' in t]
    assert 'type="text"' in tag and 'inputmode="email"' in tag


def test_registration_with_a_non_ascii_address_is_delivered(
    client, reg_event, outbox, utf8_server, now
):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(email=SOFIA, full_name="Sofía Ramos"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "emailed your personal link" in page
    registration = db.session.scalar(select(Registration))
    assert registration.email == SOFIA
    [mail] = outbox()
    assert mail.recipient == SOFIA

    report = deliver_outbox(now=now_utc())

    assert (report.sent, report.failed) == (1, 0)
    [received] = utf8_server.handler.received
    assert received.rcpt_tos == [SOFIA]
    assert "SMTPUTF8" in utf8_server.handler.mail_options[0]
    db.session.expire_all()
    assert outbox()[0].status == "sent"
