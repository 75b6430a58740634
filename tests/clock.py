"""The tests' one clock.

Every test starts with the clock set to `FIXED_NOW` and running at normal
speed from there (time-machine, `tick=True`), so pages, services and jobs see
the same instant the `now` fixture hands to a test. Dates a test posts or
expects are derived from `FIXED_NOW`, never written out.

`CONSULT_TEST_SHIFT_DAYS` moves the whole clock by that many days, which is
how CI proves the suite passes on other days (see README, "Tests on any
day"). Python processes a test starts (gunicorn, the scheduler, the CLI)
inherit the clock through `CONSULT_TEST_CLOCK_OFFSET` and `clock_site/`,
which joins PYTHONPATH as their `sitecustomize`.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import time_machine

_real_time = __import__("time").time

BASE_NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SHIFT_DAYS = int(os.environ.get("CONSULT_TEST_SHIFT_DAYS") or 0)
FIXED_NOW = BASE_NOW + timedelta(days=SHIFT_DAYS)
# Seconds the clock has already run when a test's own code starts: a busy
# machine spends them on fixtures. `CONSULT_TEST_LATE_SECONDS` sets them so
# a check that assumes a request lands within FIXED_NOW's second fails
# every time, not once in a thousand runs (see README, "Tests on any day").
LATE_SECONDS = float(os.environ.get("CONSULT_TEST_LATE_SECONDS") or 0)

OFFSET_VARIABLE = "CONSULT_TEST_CLOCK_OFFSET"
SITE_DIR = Path(__file__).with_name("clock_site")


def start_at(instant: datetime) -> time_machine.travel:
    """Set this process's clock (and its future child processes') to `instant`."""
    hatch = time_machine.escape_hatch
    real = hatch.time.time() if hatch.is_travelling() else _real_time()
    os.environ[OFFSET_VARIABLE] = repr(instant.timestamp() - real)
    return time_machine.travel(instant, tick=True)


def install_for_child_processes() -> None:
    """Make Python child processes import clock_site/sitecustomize.py."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(SITE_DIR) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(SITE_DIR), *(p for p in paths if p)]
        )


def day(days: int = 0) -> date:
    """The calendar date `days` after today's (UTC) date on the test clock."""
    return FIXED_NOW.date() + timedelta(days=days)


def wall(days: int = 0, hour: int = 9, minute: int = 0) -> datetime:
    """A naive wall time `days` after the test clock's date, e.g. for forms."""
    return datetime.combine(day(days), time(hour, minute))


def field(value: datetime | date) -> str:
    """A value as a `datetime-local` (or `date`) form field sends it."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def utc(days: int = 0, hour: int = 9, minute: int = 0) -> datetime:
    """An aware UTC instant `days` after the test clock's date, at hour:minute."""
    return wall(days, hour, minute).replace(tzinfo=UTC)
