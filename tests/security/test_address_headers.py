"""Item 5 of issue 16: a registrant's name cannot add addresses to To: or From:.

Python's email package dropped the quotes of a long quoted display name when
folding, so ``Rep, spoofed@evil.example,`` came out as three addresses. Each
message here is parsed back with Python's own parsers, as a mail client would.
"""

from __future__ import annotations

from email.errors import NonASCIILocalPartDefect
from email.header import decode_header, make_header
from email.parser import BytesParser, Parser
from email.policy import default
from email.utils import getaddresses

import pytest

from consult.notifications.mime import MessageParts, build_message, display_name
from tests.clock import FIXED_NOW

HOSTILE_NAMES = [
    "Ahmad bin Abdullah, Petaling Jaya City Council Senior Representative, "
    "spoofed@evil.example,",
    "Dr. Lim, Representative of the Selangor State Economic Planning Unit, "
    "spoofed@evil.example,",
    "short, x@evil.example",
    'Siti "the boss" Aminah, <spoofed@evil.example>, more@evil.example',
    "back\\slash\\, spoofed@evil.example, " * 3,
    "Søren Kierkegaard, Københavns Kommune Representative for Circular Economy, "
    "spoofed@evil.example,",
    "陈小姐, 八打灵再也市议会代表, spoofed@evil.example, " * 4,
    "=?utf-8?q?spoofed=40evil=2Eexample=2C?= Name, a@b.example",
    "Group: spoofed@evil.example; (comment) [x] Name",
    "x" * 250,
    ("Representative " * 15) + "@evil.example",
    "Line\r\nBcc: spoofed@evil.example",
    "Tab\tand\u2028separator\x00nul, spoofed@evil.example",
]
RECIPIENTS = ["siti@example.my", "sofía@example.co"]


def _message(
    name: str, recipient: str, sender: str = "Consult <no-reply@consult.test>"
):
    parts = MessageParts(
        sender=sender,
        recipient=recipient,
        recipient_name=name,
        subject="Your registration",
        message_id="<abc@consult.test>",
        body_text="Hello",
        body_html="",
    )
    return build_message(parts, date=FIXED_NOW).as_bytes()


def _parse(raw: bytes):
    """As a client reads it: UTF-8 headers (SMTPUTF8) decoded as UTF-8."""
    if raw.isascii():
        return BytesParser(policy=default).parsebytes(raw)
    return Parser(policy=default).parsestr(raw.decode("utf-8"))


def _header_lines(raw: bytes, name: str) -> str:
    """The header as it went on the wire, unfolded, undecoded."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8")
    unfolded = head.replace("\r\n ", " ").replace("\r\n\t", "\t")
    [line] = [h for h in unfolded.split("\r\n") if h.lower().startswith(name.lower())]
    return line.split(":", 1)[1]


@pytest.mark.parametrize("recipient", RECIPIENTS)
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_to_parses_to_exactly_the_recipient(name, recipient):
    raw = _message(name, recipient)

    parsed = _parse(raw)
    [to] = parsed.get_all("To")
    [address] = to.addresses
    assert f"{address.username}@{address.domain}" == recipient
    # (Python flags every non-ASCII local part, which SMTPUTF8 allows.)
    assert not [d for d in to.defects if not isinstance(d, NonASCIILocalPartDefect)]
    # The header's text as the modern parser gives it, read by the old one.
    assert [a for _, a in getaddresses([str(to)])] == [recipient]
    # The wire text itself, read by the old parser (what compat32 code sees).
    wire = _header_lines(raw, "To")
    assert [a for _, a in getaddresses([wire])] == [recipient]
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert len(line) <= 78


@pytest.mark.parametrize("name", HOSTILE_NAMES[:8])
def test_the_name_is_kept_for_readers_that_follow_rfc_2047(name):
    raw = _message(name, "siti@example.my")

    wire = _header_lines(raw, "To").rsplit("<", 1)[0]
    assert str(make_header(decode_header(wire))).strip() == display_name(name)


def test_a_plain_name_stays_readable_on_the_wire():
    raw = _message("Siti Aminah binti Abdullah", "siti@example.my")

    assert b"To: Siti Aminah binti Abdullah <siti@example.my>\r\n" in raw


@pytest.mark.parametrize("name", HOSTILE_NAMES[:6])
def test_from_parses_to_exactly_the_sender(name):
    raw = _message(
        "Siti", "siti@example.my", sender=f'"{name}" <no-reply@consult.test>'
    )

    parsed = _parse(raw)
    [address] = parsed["From"].addresses
    assert address.addr_spec == "no-reply@consult.test"
    wire = _header_lines(raw, "From")
    assert [a for _, a in getaddresses([wire])] == ["no-reply@consult.test"]
