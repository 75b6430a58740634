"""Counts read right in the singular: "1 registrant matched", not "1 registrants".

English needs ngettext wherever a number that can be 1 sits before a noun; the
last test scans every translatable string so that a new one cannot slip back.
"""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import render_template

from consult.contributions.services.decisions import _slot_text
from consult.errors import Conflict
from consult.extensions import db
from consult.registration.services.organiser import confirm_from_waitlist
from consult.surveys.services.answers import _choose_at_least
from tests.registration.test_attendance_pages import ZOOM, apply, token_in, upload
from tests.registration.test_attendance_services import add_registration, sample_event

ROOT = Path(__file__).resolve().parent.parent


def test_one_registrant_matched_by_an_attendance_report(client, login, organiser, now):
    event = sample_event(organiser, now)
    add_registration(event, "Siti Aminah", "siti.aminah@example.my", now=now)
    login(organiser)
    token = token_in(upload(client, event, ZOOM).get_data(as_text=True))
    page = client.get(apply(client, event, token).headers["Location"])
    html = page.get_data(as_text=True)
    assert "zoom-webinar-attendee-report.csv: 1 registrant matched." in html


def test_the_only_seat_taken(app, organiser, now):
    event = sample_event(organiser, now)
    event.capacity = 1
    add_registration(event, "Siti Aminah", "siti.aminah@example.my", now=now)
    event.confirmed_count = 1
    waiting = add_registration(
        event,
        "Tan Wei Ming",
        "tan@example.my",
        "waitlisted",
        now=now,
        waitlist_position=1,
    )
    with pytest.raises(Conflict) as exc:
        confirm_from_waitlist(event, waiting.id, organiser, now=now)
    db.session.rollback()
    assert exc.value.message.startswith("The only seat is taken.")


def test_balance_with_a_single_seat(app):
    balance = SimpleNamespace(
        capacity=1,
        confirmed=0,
        seats_left=1,
        waitlisted=1,
        pending=1,
        under_represented=[],
        rows=[],
        total=SimpleNamespace(),
    )
    html = render_template("registration/manage/_balance.html", balance=balance)
    assert "0 of 1 seat confirmed, 1 left" in html


def test_a_one_minute_link_and_slot(app, now):
    user = SimpleNamespace(display_name="Ana", email="ana@example.pt")
    text = render_template(
        "email/password_reset.txt", user=user, reset_url="x", valid_minutes=1
    )
    assert "open this link within 1 minute:" in text
    session = SimpleNamespace(start_at=now, end_at=now + timedelta(minutes=1))
    proposal = SimpleNamespace(
        session=session, event=SimpleNamespace(timezone="UTC"), speakers=[]
    )
    assert _slot_text(proposal).endswith(", for 1 minute")


def test_choose_at_least_one_option(app):
    assert _choose_at_least(1) == "Choose at least 1 option."
    assert _choose_at_least(2) == "Choose at least 2 options."


# A number that can be 1 followed by a plural noun, in a plain gettext string.
COUNTED = re.compile(r"%\((\w+)\)[sd] (?:[a-z]+ ){0,2}?[a-z-]*[a-z]s\b")
# Numbers that are fixed limits of at least 2 (never 1), so the plural always fits.
FIXED_LIMITS = re.compile(
    r"At most %\(n\)[ds]|at least %\(n\)d characters|at most %\(n\)d characters|"
    r"Between \d and %\(n\)d|fewer than %\(n\)d|at least %\(n\)d (people|answers|"
    r"participants)|Fewer than %\(n\)d|Distribute exactly %\(n\)d points|"
    r"under %\(n\)d characters|more than %\(n\)d percentage|"
    r"More than %\(num\)s (results|entries)|newest %\(num\)s|"
    r"%\((allowed)\)s minutes|more than %\(count\)d parts|"
    r"more than %\(ratio\)d times|between 1 and %\(max\)d days|"
    r"from 2 to %\(n\)d options|The latest %\(n\)d deliveries|%\(ms\)d ms"
)


def _gettext_strings():
    for path in (ROOT / "consult").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in ("_", "gettext", "lazy_gettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value
    call = re.compile(r"(?<![n\w])_\(\s*(['\"])(.*?)\1", re.S)
    for path in (ROOT / "templates").rglob("*.*"):
        text = path.read_text()
        for match in call.finditer(text):
            line = text[: match.start()].count("\n") + 1
            yield f"{path.relative_to(ROOT)}:{line}", match.group(2)


def test_counted_nouns_go_through_ngettext():
    offenders = [
        f"{where}: {text!r}"
        for where, text in _gettext_strings()
        if COUNTED.search(text)
        and not FIXED_LIMITS.search(text)
        # A name or an address before the verb is not a count.
        and not re.search(
            r"%\((name|email|recipient|link|time|kind|city|other|event|title|opens|closes)\)s",
            text,
        )
    ]
    assert offenders == []
