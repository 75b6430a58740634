"""The one local date-and-time field: filled from a stored UTC instant in the
event's zone, read back to the same instant, across a change of the clocks.

Every form that shows a stored time fills it with ``from_instant``; a copy
that converted in the wrong zone, or ignored the DST offset, would move the
time by an hour each time the form is saved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from consult.forms import Form, WallClockField
from consult.timeutil import to_utc
from tests.clock import FIXED_NOW, field

ZONE = "Europe/Brussels"


def _last_sunday_of_march_after_now() -> date:
    """Brussels puts its clocks forward (02:00 CET -> 03:00 CEST) that day."""
    year = FIXED_NOW.year + 1
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


class _Form(Form):
    start = WallClockField("Starts", required=True)
    end = WallClockField("Ends", required=False)


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("utc_hour", "utc_minute", "wall_hour", "wall_minute"),
    [
        (0, 59, 1, 59),  # the last minute of CET (UTC+1)
        (1, 0, 3, 0),  # the first of CEST (UTC+2): 02:00-02:59 never happen
        (12, 0, 14, 0),
    ],
)
def test_fills_from_a_utc_instant_in_the_zone_across_the_clock_change(
    app, utc_hour, utc_minute, wall_hour, wall_minute
):
    day = _last_sunday_of_march_after_now()
    assert day.weekday() == 6 and day > FIXED_NOW.date()
    instant = _utc(day, utc_hour, utc_minute)
    wall = WallClockField.from_instant(instant, ZONE)
    assert wall.tzinfo is None
    assert (wall.date(), wall.hour, wall.minute) == (day, wall_hour, wall_minute)
    form = _Form(data={"start": wall})
    assert form.start._value() == field(wall)
    # What the browser sends back is the same instant again.
    posted = _Form(MultiDict({"start": field(wall)}))
    assert posted.validate(), posted.errors
    assert to_utc(posted.start.data, ZONE, "start") == instant


def test_the_day_before_and_after_keep_their_own_offsets(app):
    day = _last_sunday_of_march_after_now()
    before = WallClockField.from_instant(_utc(day - timedelta(days=1), 8), ZONE)
    after = WallClockField.from_instant(_utc(day + timedelta(days=1), 8), ZONE)
    assert (before.hour, after.hour) == (9, 10)


def test_nothing_stored_fills_nothing_and_required_picks_the_validator(app):
    assert WallClockField.from_instant(None, ZONE) is None
    form = _Form(MultiDict({"start": "", "end": ""}))
    assert not form.validate()
    assert form.start.errors and not form.end.errors
    assert form.end.data is None


def test_an_instant_the_zone_cannot_show_is_shown_in_utc(app):
    # Stored before dates were bounded: year 1 west of UTC does not convert.
    early = datetime(1, 1, 1, 0, 30, tzinfo=UTC)
    assert WallClockField.from_instant(early, "America/New_York") == early.replace(
        tzinfo=None
    )
