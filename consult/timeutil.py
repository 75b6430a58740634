"""The one place for time: aware UTC storage, zone validation, conversion, filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import flask_babel
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, get_timezone
from babel.dates import get_timezone_location as babel_zone_location
from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from consult.errors import ValidationFailed
from consult.zones import canonical_zones, zones_in_order


def now_utc() -> datetime:
    """The current instant, aware, in UTC, without microseconds."""
    return datetime.now(UTC).replace(microsecond=0)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite keeps no zone, so the zone is restored on the way out; naive values
    are refused on the way in, because we cannot know what they meant.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def common_timezones() -> tuple[str, ...]:
    """Zone names offered in forms: canonical names, the likely ones first."""
    return zones_in_order()


def is_valid_timezone(name: str | None) -> bool:
    """True for a canonical zone name (forms turn aliases into one first)."""
    if not name or name not in _canonical_set():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _canonical_set() -> frozenset[str]:
    return frozenset(canonical_zones())


def get_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def localize(naive: datetime, zone_name: str) -> datetime:
    """Interpret a naive wall-clock time in a zone and return it in UTC.

    For a wall time that does not exist (spring-forward gap) or happens twice
    (fall-back), zoneinfo's fold=0 rule applies: the earlier offset is used.
    """
    if naive.tzinfo is not None:
        raise ValueError("localize() expects a naive wall-clock time")
    return naive.replace(tzinfo=ZoneInfo(zone_name)).astimezone(UTC)


def wall_time_exists(naive: datetime, zone_name: str) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    local = localize(naive, zone_name).astimezone(ZoneInfo(zone_name))
    return local.replace(tzinfo=None) == naive


def to_local(moment: datetime, zone_name: str) -> datetime:
    """Convert an aware instant to the given zone."""
    if moment.tzinfo is None:
        raise ValueError("to_local() expects an aware datetime")
    return moment.astimezone(ZoneInfo(zone_name))


def utc_offset_label(moment: datetime, zone_name: str) -> str:
    """'UTC+8', 'UTC+5:30', 'UTC-3', 'UTC' for the zone's offset at that instant."""
    offset = to_local(moment, zone_name).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def zone_city(zone_name: str) -> str:
    """'Asia/Kuala_Lumpur' -> 'Kuala Lumpur' (吉隆坡 in Chinese, 쿠알라룸푸르
    in Korean: the city's name in the reader's language where CLDR has it)."""
    english = zone_name.rsplit("/", 1)[-1].replace("_", " ")
    locale = _locale()
    if locale.language == "en" or "/" not in zone_name:
        return english
    try:
        return babel_zone_location(
            get_timezone(zone_name), locale=locale, return_city=True
        )
    except LookupError:
        return english


def _locale() -> Locale:
    # Babel names days and months in the reader's language; strftime would
    # use the server's C locale whatever the reader speaks.
    return flask_babel.get_locale() if has_app_context() else Locale("en")


def _day(day: date, with_year: bool = True) -> str:
    # English keeps the house style ('Tue 15 Dec 2026'); other languages
    # write a date their own way (CLDR): 'Sel, 15 Dis 2026', '2026年12月15日周二',
    # '2026년 12월 15일 (화)'.
    locale = _locale()
    if locale.language == "en":
        return babel_format_date(
            day, "EEE d MMM y" if with_year else "EEE d MMM", locale=locale
        )
    return format_skeleton("yMMMEd" if with_year else "MMMEd", day, locale=locale)


def _clock(local: datetime) -> str:
    # 24-hour time as the reader's language writes it (Indonesian: 16.00).
    locale = _locale()
    if locale.language == "en":
        return local.strftime("%H:%M")
    return format_skeleton("Hm", local.replace(tzinfo=None), locale=locale)


def format_day(day: date) -> str:
    """A calendar date (a milestone's due date): 'Tue 15 Dec 2026'."""
    return _day(day)


def format_date(moment: datetime, zone_name: str) -> str:
    """'Tue 15 Dec 2026' in the zone, day and month names in the current locale."""
    return _day(to_local(moment, zone_name).date())


def format_time(moment: datetime, zone_name: str) -> str:
    return _clock(to_local(moment, zone_name))


def format_datetime(moment: datetime, zone_name: str) -> str:
    """'Mon 15 Dec 2026, 16:00 Kuala Lumpur time (UTC+8)'."""
    if zone_name == "UTC":
        return _(
            "%(date)s, %(time)s UTC",
            date=format_date(moment, zone_name),
            time=format_time(moment, zone_name),
        )
    return _(
        "%(date)s, %(time)s %(city)s time (%(offset)s)",
        date=format_date(moment, zone_name),
        time=format_time(moment, zone_name),
        city=zone_city(zone_name),
        offset=utc_offset_label(moment, zone_name),
    )


def format_range(start: datetime, end: datetime, zone_name: str) -> str:
    """'Mon 15 Dec 2026, 16:00–18:00 Kuala Lumpur time (UTC+8)'.

    When the range crosses midnight in the zone, both dates are given.
    """
    start_local, end_local = to_local(start, zone_name), to_local(end, zone_name)
    if start_local.date() == end_local.date():
        span = f"{format_date(start, zone_name)}, {format_time(start, zone_name)}–{format_time(end, zone_name)}"
    else:
        span = (
            f"{format_date(start, zone_name)}, {format_time(start, zone_name)} – "
            f"{format_date(end, zone_name)}, {format_time(end, zone_name)}"
        )
    if zone_name == "UTC":
        return _("%(span)s UTC", span=span)
    return _(
        "%(span)s %(city)s time (%(offset)s)",
        span=span,
        city=zone_city(zone_name),
        offset=utc_offset_label(start, zone_name),
    )


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, for machine-readable attributes (<time datetime>)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_date(moment: datetime, zone_name: str) -> date:
    return to_local(moment, zone_name).date()


def _in_utc_when_out_of_range(formatter):
    """A filter that shows an instant the zone cannot hold (year 1 west of
    UTC, 9999 east of it: stored before dates were bounded) in UTC instead."""

    @wraps(formatter)
    def shown(*args):
        try:
            return formatter(*args)
        except OverflowError:
            return formatter(*args[:-1], "UTC")

    return shown


def register_filters(app) -> None:
    """Make the formatting helpers available in templates."""
    app.jinja_env.filters.update(
        local_datetime=_in_utc_when_out_of_range(format_datetime),
        local_range=_in_utc_when_out_of_range(format_range),
        local_time=_in_utc_when_out_of_range(format_time),
        local_date=_in_utc_when_out_of_range(format_date),
        iso_utc=iso_utc,
        format_day=format_day,
        utc_offset=_in_utc_when_out_of_range(utc_offset_label),
    )
    app.jinja_env.globals.update(zone_city=zone_city)


def zone_label(moment: datetime, zone_name: str) -> str:
    """'CET', 'CEST', 'UTC'; numeric abbreviations such as '+08' become 'UTC+8'."""
    abbreviation = to_local(moment, zone_name).tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    return utc_offset_label(moment, zone_name)


def format_in_two_zones(moment: datetime, viewer_zone: str, event_zone: str) -> str:
    """'Tue 15 Dec, 09:00 CET (16:00 in Kuala Lumpur)': reader's zone, then event's.

    The event's date is repeated in the brackets when it differs from the
    reader's; one zone only when both read the same.
    """
    local = to_local(moment, viewer_zone)
    day = _day(local.date(), with_year=False)
    first = f"{day}, {_clock(local)} {zone_label(moment, viewer_zone)}"
    there = to_local(moment, event_zone)
    if there.replace(tzinfo=None) == local.replace(tzinfo=None) and zone_label(
        moment, event_zone
    ) == zone_label(moment, viewer_zone):
        return first
    when = _clock(there)
    if there.date() != local.date():
        other_day = _day(there.date(), with_year=False)
        when = f"{other_day}, {when}"
    return _(
        "%(first)s (%(when)s in %(city)s)",
        first=first,
        when=when,
        city=zone_city(event_zone),
    )


# -- the dates people may enter -------------------------------------------------
# `datetime` stops at year 9999, so an event late in 9999 overflows every zone
# conversion and calendar file, and year 1 overflows west of UTC. Every date an
# organiser or participant enters must fall in these years (both included).
EARLIEST_YEAR = 2000
YEARS_AHEAD = 20


def date_range_years(now: datetime | None = None) -> tuple[int, int]:
    """The first and last year a date may fall in: 2000 to 20 years from now."""
    now = now or now_utc()
    return EARLIEST_YEAR, now.year + YEARS_AHEAD


def date_in_range(value: date | datetime | None, now: datetime | None = None) -> bool:
    """True for a date (or time, read in its own zone) inside the range; None is."""
    if value is None:
        return True
    first, last = date_range_years(now)
    return first <= value.year <= last


def date_range_message(now: datetime | None = None) -> str:
    """'Enter a date between 2000 and 2046.' for the current range."""
    first, last = date_range_years(now)
    return _("Enter a date between %(first)d and %(last)d.", first=first, last=last)


def instant_in_range(moment: datetime | None, now: datetime | None = None) -> bool:
    """For a stored instant: inside the range, give or take the day a zone adds.

    A wall time entered on 31 December of the last year is already the next
    year in UTC west of Greenwich; such an event is fine, an event in 9999 is not.
    """
    if moment is None:
        return True
    first, last = date_range_years(now)
    low = datetime(first, 1, 1, tzinfo=UTC) - timedelta(days=1)
    high = datetime(last + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    return low <= moment <= high


def wall_or_utc(moment: datetime | None, zone_name: str) -> datetime | None:
    """The naive wall time of an instant in a zone, for a form to show.

    An instant stored before dates were bounded may not convert (year 1 west
    of UTC, 9999 east of it): its UTC wall time is shown instead, so the form
    still opens and refuses it on save with the range in the message.
    """
    if moment is None:
        return None
    try:
        return to_local(moment, zone_name).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return moment.astimezone(UTC).replace(tzinfo=None)


def to_utc(value: datetime | None, zone: str, field: str, *, required: bool = False):
    """A wall-clock time in the event's zone (or an aware instant) as UTC.

    Every date entered passes here (forms, imports, the CLI), in every area:
    one bound on the years, one refusal of a time the clocks skip.
    """
    if value is None:
        if required:
            raise ValidationFailed(_("Please give a date and time."), field=field)
        return None
    if not date_in_range(value):
        raise ValidationFailed(date_range_message(), field=field)
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    if not wall_time_exists(value, zone):
        raise ValidationFailed(
            _(
                "%(time)s does not exist in %(city)s on that day: the clocks "
                "go forward then. Please choose another time.",
                time=value.strftime("%H:%M"),
                city=zone_city(zone),
            ),
            field=field,
        )
    return localize(value, zone)


def wall_clock(moment: datetime, zone: str) -> datetime:
    """The naive wall-clock time of an instant in a zone."""
    return to_local(moment, zone).replace(tzinfo=None)


def shift_wall(moment: datetime, old_zone: str, delta: timedelta, new_zone: str):
    """Move an instant by a wall-clock delta, so 16:00 stays 16:00 across DST."""
    return localize(wall_clock(moment, old_zone) + delta, new_zone)
