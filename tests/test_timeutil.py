"""The one place for time: storage in UTC, localisation, display."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from consult.timeutil import (
    common_timezones,
    format_range,
    is_valid_timezone,
    localize,
    to_local,
    utc_offset_label,
)

UTC = UTC


def test_localize_kuala_lumpur_afternoon_is_morning_utc():
    assert localize(datetime(2026, 12, 15, 16, 0), "Asia/Kuala_Lumpur") == datetime(
        2026, 12, 15, 8, 0, tzinfo=UTC
    )


def test_localize_follows_daylight_saving_in_brussels():
    winter = localize(datetime(2026, 3, 28, 10, 0), "Europe/Brussels")
    summer = localize(datetime(2026, 3, 30, 10, 0), "Europe/Brussels")
    assert winter.hour == 9 and summer.hour == 8


def test_localize_refuses_aware_input():
    with pytest.raises(ValueError):
        localize(datetime(2026, 1, 1, tzinfo=UTC), "Europe/Paris")


def test_to_local_refuses_naive_input():
    with pytest.raises(ValueError):
        to_local(datetime(2026, 1, 1), "Europe/Paris")


@pytest.mark.parametrize(
    "zone,expected",
    [
        ("Asia/Kuala_Lumpur", "UTC+8"),
        ("Asia/Kolkata", "UTC+5:30"),
        ("America/Sao_Paulo", "UTC-3"),
        ("UTC", "UTC"),
        ("Europe/Brussels", "UTC+1"),
    ],
)
def test_offset_label(zone, expected):
    assert utc_offset_label(datetime(2026, 12, 15, 8, 0, tzinfo=UTC), zone) == expected


def test_format_range_matches_the_design_example(app):
    start = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    end = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    assert (
        format_range(start, end, "Asia/Kuala_Lumpur")
        == "Tue 15 Dec 2026, 16:00–18:00 Kuala Lumpur time (UTC+8)"
    )


def test_format_range_across_midnight_names_both_days(app):
    start = datetime(2026, 12, 15, 22, 0, tzinfo=UTC)
    end = datetime(2026, 12, 16, 1, 0, tzinfo=UTC)
    text = format_range(start, end, "Europe/Brussels")
    assert text.startswith("Tue 15 Dec 2026, 23:00 – Wed 16 Dec 2026, 02:00")


@pytest.mark.parametrize(
    "name,ok",
    [
        ("Asia/Kuala_Lumpur", True),
        ("Europe/Brussels", True),
        ("UTC", True),
        ("Mars/Olympus_Mons", False),
        ("", False),
        ("../../etc/passwd", False),
        ("EST5EDT", False),
        ("Asia/Calcutta", False),  # an alias: forms read it as Asia/Kolkata
    ],
)
def test_zone_validation(name, ok):
    assert is_valid_timezone(name) is ok


def test_zone_list_puts_the_case_zones_first_then_the_rest_sorted():
    zones = common_timezones()
    assert zones[0] == "Asia/Kuala_Lumpur"
    assert {"Europe/Brussels", "Europe/Warsaw", "UTC"} <= set(zones[:20])
    rest = zones[zones.index("UTC") + 1 :]
    assert list(rest) == sorted(rest)


def test_utc_column_round_trips_aware_values(app, organiser):
    from consult.auth.models import User
    from consult.extensions import db

    moment = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    organiser.last_login_at = to_local(moment, "Asia/Kuala_Lumpur")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(
        select(User.last_login_at).where(User.id == organiser.id)
    )
    assert stored == moment and stored.tzinfo is not None
    assert stored.utcoffset().total_seconds() == 0


def test_utc_column_refuses_naive_values(app, organiser):
    from sqlalchemy.exc import StatementError

    from consult.extensions import db

    organiser.last_login_at = datetime(2026, 12, 15, 8, 0)
    with pytest.raises(StatementError, match="naive"):
        db.session.commit()
    db.session.rollback()


def test_utc_events_are_not_labelled_twice(app):
    start = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    end = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    assert format_range(start, end, "UTC") == "Tue 15 Dec 2026, 08:00–10:00 UTC"


@pytest.mark.parametrize(
    "wall,exists",
    [
        (datetime(2027, 3, 28, 2, 30), False),  # Brussels springs forward 02:00->03:00
        (datetime(2027, 3, 28, 3, 30), True),
        (datetime(2027, 10, 31, 2, 30), True),  # happens twice: exists
    ],
)
def test_wall_time_exists(wall, exists):
    from consult.timeutil import wall_time_exists

    assert wall_time_exists(wall, "Europe/Brussels") is exists
