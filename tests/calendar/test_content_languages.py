"""Calendar files and links name the event and its sessions in the reader's language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from flask_babel import force_locale
from icalendar import Calendar

from consult.calendar.ics import invite_calendar, public_calendar
from consult.calendar.links import google_calendar_url
from consult.content import set_translation
from consult.events.services import SessionData, add_session
from consult.extensions import db
from tests.clock import wall
from tests.visitors import language_visitor

TITLE_MS = "Mereka Bentuk Bandar Kitaran"
SUMMARY_MS = "Rundingan pihak berkepentingan tentang plastik."
SESSION_MS = "Lima cabaran Petaling Jaya"


def _offer_malay(event, organiser, now):
    event.summary = "A stakeholder consultation on plastics."
    event.content_languages = ["ms"]
    session = add_session(
        event,
        organiser,
        SessionData(
            title="Petaling Jaya's five challenges",
            start=wall(21, 16, 30),
            end=wall(21, 17),
            description="The host city presents its challenges.",
        ),
        now=now,
    )
    set_translation(event, "title", "ms", TITLE_MS)
    set_translation(event, "summary", "ms", SUMMARY_MS)
    set_translation(session, "title", "ms", SESSION_MS)
    db.session.commit()
    return session


def _events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_a_calendar_built_for_a_malay_reader_carries_the_malay_texts(
    reg_event, organiser, make_registration, now
):
    _offer_malay(reg_event, organiser, now)
    registration = make_registration(reg_event)
    with force_locale("ms"):
        public = _events(public_calendar(reg_event, now=now, with_sessions=True))
        invite = _events(invite_calendar(registration, now=now))
    english = _events(public_calendar(reg_event, now=now, with_sessions=True))
    assert str(public[0]["SUMMARY"]) == TITLE_MS
    assert SUMMARY_MS in str(public[0]["DESCRIPTION"])
    assert SESSION_MS in str(public[0]["DESCRIPTION"])  # the agenda lines
    assert str(public[1]["SUMMARY"]) == f"{SESSION_MS} · {TITLE_MS}"
    assert str(invite[0]["SUMMARY"]) == TITLE_MS
    assert str(english[0]["SUMMARY"]) == "Designing Circular Cities"
    assert "Petaling Jaya's five challenges" in str(english[0]["DESCRIPTION"])


def test_an_untranslated_session_falls_back_to_the_organisers_text(
    reg_event, organiser, now
):
    session = _offer_malay(reg_event, organiser, now)
    set_translation(session, "title", "ms", "")
    db.session.commit()
    with force_locale("ms"):
        public = _events(public_calendar(reg_event, now=now, with_sessions=True))
    assert str(public[1]["SUMMARY"]) == f"Petaling Jaya's five challenges · {TITLE_MS}"


def test_the_downloaded_calendar_and_links_follow_the_visitors_language(
    app, reg_event, organiser, now
):
    _offer_malay(reg_event, organiser, now)
    malay = language_visitor(app, "ms")
    body = malay.get(f"/events/{reg_event.slug}/calendar.ics").data
    assert str(_events(body)[0]["SUMMARY"]) == TITLE_MS
    with force_locale("ms"):
        link = google_calendar_url(reg_event)
    assert parse_qs(urlparse(link).query)["text"] == [TITLE_MS]
    english = language_visitor(app)
    body = english.get(
        f"/events/{reg_event.slug}/calendar.ics", headers={"Accept-Language": "en"}
    ).data
    assert str(_events(body)[0]["SUMMARY"]) == "Designing Circular Cities"
