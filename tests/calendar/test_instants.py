"""Every calendar file means the stored instant, for icalendar and for ical.js."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from consult.calendar.ics import invite_calendar, public_calendar
from consult.events.services import SessionData, add_session
from consult.extensions import db
from tests.calendar.conftest import icaljs_instant

CASES = [
    ("Asia/Kuala_Lumpur", datetime(2026, 12, 15, 16, 0)),
    ("Asia/Kuala_Lumpur", datetime(2027, 3, 29, 9, 0)),
    ("Asia/Kuala_Lumpur", datetime(2027, 12, 15, 16, 0)),  # a year ahead
    ("Europe/Berlin", datetime(2027, 3, 26, 10, 0)),  # before summer time
    ("Europe/Berlin", datetime(2027, 3, 28, 3, 30)),  # just after the jump
    ("Europe/Berlin", datetime(2027, 3, 29, 10, 0)),  # after summer time starts
    ("Europe/Berlin", datetime(2027, 10, 29, 10, 0)),  # before it ends
    ("Europe/Berlin", datetime(2027, 10, 31, 2, 30)),  # the hour that happens twice
    ("Europe/Berlin", datetime(2027, 11, 1, 10, 0)),  # after it ends
    ("Europe/Berlin", datetime(2027, 12, 15, 9, 0)),  # a year ahead
    ("UTC", datetime(2027, 6, 1, 12, 0)),
]
IDS = [f"{zone}-{wall:%Y%m%dT%H%M}" for zone, wall in CASES]


def _assert_same_instants(parse_both, data: bytes, expected: list[tuple]) -> None:
    calendar, icaljs = parse_both(data)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == len(icaljs["events"]) == len(expected)
    for vevent, js_event, (start, end) in zip(
        vevents, icaljs["events"], expected, strict=True
    ):
        assert vevent.decoded("dtstart").astimezone(UTC) == start
        assert vevent.decoded("dtend").astimezone(UTC) == end
        assert icaljs_instant(js_event["start"]) == start
        assert icaljs_instant(js_event["end"]) == end


@pytest.mark.parametrize(("zone", "wall"), CASES, ids=IDS)
def test_public_file_means_the_stored_instant(zoned_event, parse_both, now, zone, wall):
    event = zoned_event(zone, wall)
    data = public_calendar(event, now=now)
    _assert_same_instants(parse_both, data, [(event.start_at, event.end_at)])


@pytest.mark.parametrize(("zone", "wall"), CASES, ids=IDS)
def test_invite_means_the_stored_instant(
    zoned_event, make_registration, parse_both, now, zone, wall
):
    event = zoned_event(zone, wall)
    registration = make_registration(event)
    data = invite_calendar(registration, now=now)
    _assert_same_instants(parse_both, data, [(event.start_at, event.end_at)])


def test_sessions_are_events_of_their_own(zoned_event, organiser, parse_both, now):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 27, 22, 0), hours=8)
    # The second session starts after the clocks went forward in the night.
    for title, start, end in (
        ("Opening", datetime(2027, 3, 27, 22, 0), datetime(2027, 3, 27, 23, 0)),
        ("Night shift", datetime(2027, 3, 28, 4, 0), datetime(2027, 3, 28, 5, 0)),
    ):
        add_session(
            event,
            organiser,
            SessionData(title=title, start=start, end=end, speakers=[]),
            now=now,
        )
    db.session.commit()
    data = public_calendar(event, now=now, with_sessions=True)
    expected = [(event.start_at, event.end_at)] + [
        (s.start_at, s.end_at) for s in event.sessions
    ]
    _assert_same_instants(parse_both, data, expected)
    calendar, icaljs = parse_both(data)
    uids = [e["uid"] for e in icaljs["events"]]
    assert len(set(uids)) == 3
    assert uids[0] == f"event-{event.id}@consult.test"
