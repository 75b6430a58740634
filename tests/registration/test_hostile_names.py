"""Registrants' names on the way to a mail header (issue 16, item 5).

A name with a line break is refused next to its field; a name with commas and
an address in it reaches the recipient's To: as one address, the recipient's.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import default
from email.utils import getaddresses

from sqlalchemy import func, select

from consult.extensions import db
from consult.forms import SINGLE_LINE_MESSAGE
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from consult.timeutil import now_utc
from tests.registration.test_international_email import utf8_server  # noqa: F401
from tests.registration.test_public_pages import form

SPOOFING_NAME = (
    "Ahmad bin Abdullah, Petaling Jaya City Council Senior Representative, "
    "spoofed@evil.example,"
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_name_with_a_line_break_is_refused_next_to_the_field(client, reg_event):
    for name in ("Siti\r\nBcc: spoofed@evil.example", "Siti\nAminah", "Siti\x00"):
        response = client.post(
            f"/events/{reg_event.slug}/register", data=form(full_name=name)
        )

        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "without line breaks or control characters" in page
        assert _count(Registration) == 0 and _count(OutboundEmail) == 0


def test_a_name_with_an_address_in_it_reaches_to_as_one_address(
    client,
    reg_event,
    now,
    utf8_server,  # noqa: F811
):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(full_name=SPOOFING_NAME, email="siti@example.my"),
    )
    assert response.status_code == 200
    assert db.session.scalar(select(Registration.full_name)) == SPOOFING_NAME

    report = deliver_outbox(now=now_utc())

    assert report.sent == 1
    [received] = utf8_server.handler.received
    assert received.rcpt_tos == ["siti@example.my"]
    message = BytesParser(policy=default).parsebytes(received.content)
    [address] = message["To"].addresses
    assert address.addr_spec == "siti@example.my"
    assert [a for _, a in getaddresses([str(message["To"])])] == ["siti@example.my"]
    assert b"spoofed@evil.example" not in received.content.split(b"\r\n\r\n")[0]


def test_the_message_names_what_is_wrong():
    assert "line" in SINGLE_LINE_MESSAGE
