"""Demo registrants' addresses spell accented names in plain letters."""

import pytest
from sqlalchemy import select

from consult.demo import seed_demo
from consult.demo.registration import _email, transliterate
from consult.extensions import db
from consult.registration.models import Registration


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Elena García", "ES", "elena.garcia@example.org"),
        ("Thomas Müller", "DE", "thomas.muller@example.de"),
        ("Dr. Łukasz Wiśniewski", "PL", "lukasz.wisniewski@example.pl"),
        ("Søren Æbelø", "DK", "soren.aebelo@example.org"),
        ("Jürgen Straße", "AT", "jurgen.strasse@example.org"),
    ],
)
def test_accented_letters_are_transliterated_not_dropped(name, country, expected):
    assert _email(name, country) == expected


def test_transliterate_keeps_plain_text():
    assert transliterate("Nur Aisyah binti Ahmad") == "Nur Aisyah binti Ahmad"


def test_every_demo_address_is_ascii_and_keeps_every_letter(app, now):
    seed_demo(now=now)
    db.session.commit()
    emails = set(db.session.scalars(select(Registration.email)))
    emails.discard(None)
    emails.discard("")
    assert all(email.isascii() for email in emails)
    assert {"elena.garcia@example.org", "thomas.muller@example.de"} <= emails
    assert not {e for e in emails if e.startswith(("elena.garca@", "thomas.mller@"))}
