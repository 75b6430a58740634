"""'Add to calendar' links for Google and Outlook: UTC times, encoded, public only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from consult.calendar.links import (
    google_calendar_url,
    outlook_calendar_url,
    web_calendar_links,
)
from consult.extensions import db
from consult.registration.services import manage_token
from consult.registration.services.form_data import form_data
from consult.timeutil import localize

SECRET_JOIN = "https://zoom.example.org/j/987654321?pwd=s3cret"


def _query(url: str) -> dict[str, str]:
    values = parse_qs(urlparse(url).query, keep_blank_values=True)
    return {key: value[0] for key, value in values.items()}


@pytest.fixture
def event(reg_event):
    reg_event.title = "Circular cities: plastics & packaging (KL/EU)"
    reg_event.summary = "Petaling Jaya's top five challenges, 100% online."
    reg_event.join_url = SECRET_JOIN
    db.session.commit()
    return reg_event


def test_the_links_carry_utc_times_title_and_the_public_page(
    app, event, make_registration
):
    registration = make_registration(event)
    with app.test_request_context():
        links = web_calendar_links(event)
        token = manage_token(registration)
    google = _query(links["google"])
    start = event.start_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    end = event.end_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert google["dates"] == f"{start}/{end}"
    assert google["text"] == event.title
    assert google["location"].endswith(f"://consult.test/events/{event.slug}")
    assert "Petaling Jaya's top five challenges" in google["details"]
    for name in ("outlook", "office"):
        outlook = _query(links[name])
        assert outlook["startdt"] == event.start_at.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert outlook["enddt"].endswith("Z") and outlook["subject"] == event.title
        assert outlook["location"] == google["location"]
    assert links["outlook"].startswith("https://outlook.live.com/calendar/")
    assert links["office"].startswith("https://outlook.office.com/calendar/")
    for url in links.values():
        # Nothing personal goes to a third party: no join link, no manage link.
        assert "zoom.example.org" not in url and "s3cret" not in url
        assert token not in url and "/registration/" not in url
        assert registration.email not in url


def test_the_links_are_url_encoded_with_spaces_as_percent_20(app, event):
    with app.test_request_context():
        links = web_calendar_links(event)
    for url in links.values():
        query = urlparse(url).query
        assert " " not in url and "+" not in query and "&packaging" not in query
        assert "Circular%20cities%3A%20plastics%20%26%20packaging" in query
        assert "100%25%20online" in query


@pytest.mark.parametrize(
    ("zone", "wall_start", "utc_start"),
    [
        # Kuala Lumpur: UTC+8 all year.
        ("Asia/Kuala_Lumpur", datetime(2027, 7, 6, 16, 0), "20270706T080000Z"),
        # Berlin in summer (UTC+2) and in winter (UTC+1).
        ("Europe/Berlin", datetime(2027, 7, 6, 16, 0), "20270706T140000Z"),
        ("Europe/Berlin", datetime(2027, 1, 12, 16, 0), "20270112T150000Z"),
        # Crossing midnight in the event's zone is still one UTC span.
        ("America/New_York", datetime(2027, 3, 14, 23, 30), "20270315T033000Z"),
    ],
)
def test_times_are_utc_whatever_the_event_zone(app, event, zone, wall_start, utc_start):
    event.timezone = zone
    event.start_at = localize(wall_start, zone)
    event.end_at = event.start_at + timedelta(hours=2)
    with app.test_request_context():
        google = _query(google_calendar_url(event, details="", location=""))
        outlook = _query(outlook_calendar_url(event, details="", location=""))
    assert google["dates"].split("/")[0] == utc_start
    assert outlook["startdt"].replace("-", "").replace(":", "") == utc_start


def test_the_registration_forms_cached_copy_gives_the_same_links(app, event):
    """The thank-you page builds the links from the per-process copy of the
    event (no query): they must equal those of the session's own event."""
    with app.test_request_context():
        cached = form_data(event.slug).event
        assert web_calendar_links(cached) == web_calendar_links(event)
