"""Fixtures for the calendar tests: parse with icalendar and with ical.js (node).

ical.js is Thunderbird's parser, installed by npm (package.json). Without node
or the package the ical.js checks are skipped locally and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from consult.events.services import EventData, create_event, publish_event
from consult.extensions import db
from consult.registration.services import ensure_stakeholder_types
from consult.timeutil import localize
from tests.conftest import IN_CI
from tests.factories import SERVER_NAMED
from tests.notifications.conftest import smtp_sink, use_smtp  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
PARSE_SCRIPT = Path(__file__).with_name("parse.mjs")
JOIN_URL = "https://zoom.example.org/j/555000111"


def _icaljs_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (REPO / "node_modules" / "ical.js" / "package.json").exists():
        return "node_modules/ical.js is missing (run `npm ci`)"
    return None


@pytest.fixture(scope="session")
def icaljs():
    """icaljs(data: bytes) -> {"method": ..., "events": [...]} as ical.js reads it."""
    reason = _icaljs_missing()
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; CI must parse calendars with ical.js")
        pytest.skip(f"{reason}; ical.js checks skipped")

    def _parse(data: bytes, tmp_dir: Path) -> dict:
        path = tmp_dir / "calendar.ics"
        path.write_bytes(data)
        # A zone far from every event's: a time read as floating shows up wrong.
        env = {**os.environ, "TZ": "America/Sao_Paulo"}
        result = subprocess.run(
            ["node", str(PARSE_SCRIPT), str(path)],
            capture_output=True,
            check=True,
            cwd=REPO,
            env=env,
            text=True,
            timeout=60,
        )
        return json.loads(result.stdout)

    return _parse


@pytest.fixture
def parse_both(icaljs, tmp_path):
    """parse_both(data) -> (icalendar Calendar, ical.js result)."""

    def _parse(data: bytes):
        return Calendar.from_ical(data), icaljs(data, tmp_path)

    return _parse


def icaljs_instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture
def zoned_event(organiser, now):
    """zoned_event(zone, wall_start, hours=2, **fields) -> published, committed Event."""

    def _make(zone: str, wall_start: datetime, hours: int = 2, **fields):
        data = EventData(
            title=fields.pop("title", "Designing Circular Cities"),
            timezone=zone,
            start=wall_start,
            end=wall_start + timedelta(hours=hours),
            summary="A stakeholder consultation on plastics.",
            join_url=fields.pop("join_url", JOIN_URL),
            capacity=fields.pop("capacity", 100),
        )
        event = create_event(organiser, data, now=now - timedelta(days=1))
        publish_event(event, organiser, now=now - timedelta(days=1))
        for name, value in fields.items():
            setattr(event, name, value)
        ensure_stakeholder_types(event)
        db.session.commit()
        assert event.start_at == localize(wall_start, zone)
        return event

    return _make


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
