"""Calendar files whose events fall in several years, read by ical.js.

ical.js (Thunderbird's parser) reads only the first value of a multi-value
RDATE in a VTIMEZONE: a zone written with all its daylight-saving changes on
one RDATE line put the later years' summer events an hour off (Berlin) and
the southern summers too (Sydney). Every date here comes from the test clock.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from consult.calendar.feeds import feed_registrations, feed_token
from consult.calendar.ics import (
    event_component,
    feed_calendar,
    new_calendar,
    public_calendar,
    serialise,
)
from tests.calendar.conftest import icaljs_instant
from tests.clock import FIXED_NOW, wall

EMAIL = "siti.aminah@example.my"


def _in_year(years: int, month: int, day: int = 15, hour: int = 10) -> datetime:
    """A wall time `years` after the test clock's year (always in the future)."""
    return datetime(FIXED_NOW.year + years, month, day, hour, 0)


# Zone, wall start: summer and winter in later years, north and south of the
# equator, zones with daylight saving (Berlin, Sydney) and without (Sao Paulo
# since 2019, Kuala Lumpur).
SPREAD = [
    ("Europe/Berlin", wall(7, 10)),
    ("Europe/Berlin", _in_year(1, 7)),  # next year's summer
    ("Europe/Berlin", _in_year(2, 1)),  # the winter after
    ("Europe/Berlin", _in_year(2, 7)),  # the summer after that
    ("Europe/Berlin", _in_year(3, 10, 20)),  # late October, still summer time
    ("Australia/Sydney", _in_year(1, 7)),  # winter down under
    ("Australia/Sydney", _in_year(2, 1)),  # summer down under
    ("Australia/Sydney", _in_year(3, 1)),
    ("America/Sao_Paulo", _in_year(1, 7)),
    ("America/Sao_Paulo", _in_year(2, 1)),
    ("Asia/Kuala_Lumpur", _in_year(1, 7)),
    ("Asia/Kuala_Lumpur", _in_year(2, 1)),
]


@pytest.fixture
def spread_events(zoned_event):
    return [
        zoned_event(zone, start, title=f"Consultation {index}")
        for index, (zone, start) in enumerate(SPREAD)
    ]


def _assert_icaljs_reads(icaljs_result: dict, events) -> None:
    by_summary = {e["summary"]: e for e in icaljs_result["events"]}
    wrong = []
    for event in events:
        read = by_summary[event.title]
        start, end = icaljs_instant(read["start"]), icaljs_instant(read["end"])
        if (start, end) != (event.start_at, event.end_at):
            wrong.append(f"{event.timezone} {event.start_at:%Y-%m-%d}: read {start}")
    assert not wrong, wrong
    assert len(icaljs_result["events"]) == len(events)


def _file_of(events, now) -> bytes:
    """One file holding all the events, written the way every file is."""
    calendar = new_calendar("PUBLISH")
    for event in events:
        calendar.add_component(
            event_component(
                event, now=now, description="", sequence=0, status="CONFIRMED"
            )
        )
    return serialise(calendar)


def test_vtimezone_has_one_rdate_value_per_line(spread_events, now):
    data = _file_of(spread_events, now)
    rdates = [line for line in data.splitlines() if line.startswith(b"RDATE")]
    assert rdates, "the zones with daylight saving list their changes"
    assert all(b"," not in line for line in rdates)


def test_feed_over_several_years_means_the_stored_instants(
    spread_events, make_registration, client, parse_both
):
    registrations = [make_registration(e, email=EMAIL) for e in spread_events]
    response = client.get(f"/calendar/feed/{feed_token(registrations[0])}.ics")
    assert response.status_code == 200
    calendar, icaljs = parse_both(response.data)
    assert len(calendar.walk("VEVENT")) == len(spread_events)
    _assert_icaljs_reads(icaljs, spread_events)


def test_feed_service_over_several_years(
    spread_events, make_registration, parse_both, now
):
    registrations = [make_registration(e, email=EMAIL) for e in spread_events]
    data = feed_calendar(feed_registrations(registrations[0]), now=now, name="Mine")
    _calendar, icaljs = parse_both(data)
    _assert_icaljs_reads(icaljs, spread_events)


@pytest.mark.parametrize(
    "zone", ["Europe/Berlin", "Australia/Sydney", "America/Sao_Paulo"]
)
def test_event_file_with_a_zone_spanning_years(zoned_event, parse_both, now, zone):
    """One event's file: its zone's definition spans the year before to 3 after."""
    events = [
        zoned_event(zone, _in_year(2, month), title=f"{zone} {month}")
        for month in (1, 7)
    ]
    for event in events:
        _calendar, icaljs = parse_both(public_calendar(event, now=now))
        _assert_icaljs_reads(icaljs, [event])


def test_one_file_holding_events_of_several_years(spread_events, parse_both, now):
    _calendar, icaljs = parse_both(_file_of(spread_events, now))
    _assert_icaljs_reads(icaljs, spread_events)
