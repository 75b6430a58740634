"""An event's emails carry its sender name and Reply-To; the From address
stays the site's. Fixed when a message's text is (queued, or composed by the
sender), kept on the row: a resend is the same bytes even if the organiser
changed the sender meanwhile. And an email stays inside a phone's screen."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select, update

from consult.addresses import checked_sender
from consult.errors import PermissionDenied, ValidationFailed
from consult.events.models import Event
from consult.events.services.sender import set_event_sender
from consult.extensions import db
from consult.notifications.mime import MessageParts, build_message
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox, render_bodies
from consult.registration.services import RegistrationData, register
from tests.clock import FIXED_NOW
from tests.effects import committed_row
from tests.factories import SERVER_NAMED

NAME = "Petaling Jaya City Council via Consult"
REPLY = "events@mbpj.example.my"


@pytest.fixture
def app_config():
    return SERVER_NAMED


def _register(event, now, email="siti@example.org"):
    register(
        event,
        RegistrationData(full_name="Siti Aminah", email=email, country="MY",
                         timezone="Asia/Kuala_Lumpur", type_key="government",
                         consent_privacy=True),
        now=now,
    )  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize(
    ("name", "reply_to", "field"),
    [
        ("PJ\r\nBcc: x@evil.example", "", "sender_name"),
        ("PJ <x@evil.example>", "", "sender_name"),
        ("x" * 121, "", "sender_name"),
        ("PJ", "not an address", "reply_to"),
        ("PJ", "a@b.example, c@d.example", "reply_to"),
        ("PJ", "sofía@example.org", "reply_to"),  # would need SMTPUTF8
    ],
)
def test_a_bad_sender_is_refused_naming_its_field(app, name, reply_to, field):
    with pytest.raises(ValidationFailed) as refused:
        checked_sender(name, reply_to)
    assert refused.value.field == field


def test_a_sender_is_cleaned(app):
    assert checked_sender("  PJ   City  ", " Events@MBPJ.example.my ") == (
        "PJ City",
        "Events@mbpj.example.my",
    )
    assert checked_sender("", "") == ("", "")


def test_only_a_manager_sets_the_sender(reg_event, other_organiser):
    with pytest.raises(PermissionDenied):
        set_event_sender(reg_event, other_organiser, name=NAME, reply_to=REPLY)


def test_the_headers_parse_back_to_the_site_address_and_the_reply_to(app):
    # A comma and quotes in the name stay in the name (PITFALLS: folding).
    name = 'Majlis Bandaraya, "PJ" via Consult — ' + "long " * 12
    parts = MessageParts(
        sender="Consult <no-reply@consult.example>",
        recipient="siti@example.org",
        recipient_name="Siti",
        subject="Hello",
        message_id="<abc@consult.example>",
        body_text="Hi\n",
        body_html="",
        sender_name=name,
        reply_to=REPLY,
    )
    message = message_from_bytes(
        build_message(parts, date=FIXED_NOW).as_bytes(), policy=policy.default
    )
    [sender] = message["From"].addresses
    assert sender.addr_spec == "no-reply@consult.example"
    assert " ".join(sender.display_name.split()) == " ".join(name.split())
    [reply] = message["Reply-To"].addresses
    assert reply.addr_spec == REPLY


def test_every_email_of_the_event_carries_its_sender_composed_at_send_time(
    app, reg_event, organiser, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    _register(reg_event, now)  # queued before the sender was set
    set_event_sender(reg_event, organiser, name=NAME, reply_to=REPLY)
    db.session.commit()
    deliver_outbox(now=now + timedelta(seconds=10))
    [received] = smtp_sink.handler.received
    message = received.message
    assert message["From"].addresses[0].display_name == NAME
    site = app.config["MAIL_DEFAULT_SENDER"]
    assert f"<{message['From'].addresses[0].addr_spec}>" in site
    assert str(message["Reply-To"]) == REPLY
    assert "To reach the organisers, reply to this email." in (
        message.get_body(("plain",)).get_content()
    )
    [row] = db.session.scalars(select(OutboundEmail)).all()
    assert (row.sender_name, row.reply_to) == (NAME, REPLY)

    # Changed afterwards: a resend of this message is the same bytes.
    set_event_sender(reg_event, organiser, name="Someone else", reply_to="")
    later = now + timedelta(hours=1)
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == row.id)
        .values(status="sending", lease_expires_at=later - timedelta(minutes=1))
    )
    db.session.commit()
    deliver_outbox(now=later)
    first, again = smtp_sink.handler.received
    assert again.content == first.content


def test_without_a_sender_the_sites_name_and_no_reply_to(
    reg_event, now, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    _register(reg_event, now)
    deliver_outbox(now=now + timedelta(seconds=10))
    message = smtp_sink.handler.received[0].message
    assert message["From"].addresses[0].display_name == "Consult"
    assert message["Reply-To"] is None


def test_a_long_link_wraps_inside_the_email(reg_event, make_registration):
    person = make_registration(reg_event)
    link = "https://example.org/" + "a" * 100
    assert len(link) == 120
    text, html = render_bodies(
        "registration_message",
        {
            "registration": person,
            "event": reg_event,
            "paragraphs": [f"Slides: {link}"],
            "sender_name": "Org",
            "manage_url": link,
            "join_url": "",
            "dial_in": None,
            "viewer_zone": reg_event.timezone,
        },
    )
    assert link in text
    # One fixed-layout table, the screen's width up to 600 px, and text that
    # breaks anywhere; the copyable link breaks too.
    assert 'width="100%"' in html and "max-width:600px" in html
    assert "table-layout:fixed" in html and "overflow-wrap:anywhere" in html
    assert (
        f'style="color:#007a50;word-break:break-all;overflow-wrap:anywhere;">{link}'
        in html
    )


# -- the page --------------------------------------------------------------------


def test_the_sender_page_refuses_bad_input_and_keeps_it(
    client, login, organiser, reg_event
):
    login(organiser)
    url = f"/manage/events/{reg_event.slug}/email-sender"
    refused = client.post(url, data={"sender_name": "PJ <x@y.z>", "reply_to": "nope"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="sender_name-error"' in html and "PJ &lt;x@y.z&gt;" in html
    stored = committed_row(Event, reg_event.id)
    assert (stored.email_sender_name, stored.email_reply_to) == ("", "")
    saved = client.post(url, data={"sender_name": NAME, "reply_to": REPLY})
    assert saved.status_code == 302
    stored = committed_row(Event, reg_event.id)
    assert (stored.email_sender_name, stored.email_reply_to) == (NAME, REPLY)
    assert NAME in client.get(url).get_data(as_text=True)
