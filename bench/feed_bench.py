"""Calendar files: a participant's feed with 200 events, an event file with 50 sessions.

Consult's responses (through the Flask test client: route, token check,
queries, building, serialising) against the ceiling of its own stack: the
icalendar library building and serialising a calendar with the same number of
VEVENTs, the same fields and texts, from data already in memory (VTIMEZONE
built once beforehand). Time is the median of REPEAT requests after a warm-up.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from common import QueryCounter, make_app, median_time
from sqlalchemy import select

FEED_EMAIL = "feed-benchmark@example.org"


def _events(count: int, now):
    """count published copies of the demo event (agenda and speakers included)."""
    from consult.demo import DEMO_SLUG
    from consult.events.models import Event
    from consult.events.services.events import clone_event
    from consult.extensions import db
    from consult.registration.models import Registration
    from consult.registration.services.seats import ensure_stakeholder_types

    demo = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    events = []
    for n in range(count):
        clone = clone_event(demo, demo.owner, now=now)
        clone.status = "published"
        clone.published_at = now
        shift = timedelta(days=n)
        clone.start_at += shift
        clone.end_at += shift
        for session in clone.sessions:
            session.start_at += shift
            session.end_at += shift
        types = ensure_stakeholder_types(clone)
        db.session.add(
            Registration(
                event_id=clone.id,
                stakeholder_type_id=types[0].id,
                status="confirmed",
                full_name="Feed Benchmark",
                email=FEED_EMAIL,
                country="MY",
                timezone="Asia/Kuala_Lumpur",
                privacy_notice_version=clone.privacy_notice_version,
                privacy_consented_at=now,
                manage_nonce=secrets.token_urlsafe(24),
                confirmed_at=now,
            )
        )
        events.append(clone)
    db.session.commit()
    return events


def _with_sessions(event, count: int):
    from consult.events.models import AgendaSession, Speaker
    from consult.extensions import db

    templates = list(event.sessions)
    start = event.start_at
    for n in range(len(templates), count):
        template = templates[n % len(templates)]
        session_start = start + timedelta(minutes=20 * n)
        event.sessions.append(
            AgendaSession(
                title=f"{template.title} ({n + 1})",
                description_md=template.description_md,
                start_at=session_start,
                end_at=session_start + timedelta(minutes=20),
                speakers=[
                    Speaker(name=s.name, affiliation=s.affiliation, city=s.city,
                            country=s.country, bio=s.bio, position=s.position)
                    for s in template.speakers
                ],
            )
        )  # fmt: skip
    event.end_at = start + timedelta(minutes=20 * count)
    db.session.commit()


def _ceiling(items: list[dict], zone: str, extra: dict) -> bytes:
    """icalendar alone: the same VEVENTs from in-memory data."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    calendar = Calendar()
    for key, value in extra.items():
        calendar.add(key, value)
    calendar.add_component(extra["_timezone"]) if "_timezone" in extra else None
    tz = ZoneInfo(zone)
    for item in items:
        component = Event()
        component.add("uid", item["uid"])
        component.add("dtstamp", item["stamp"])
        component.add("dtstart", item["start"].astimezone(tz))
        component.add("dtend", item["end"].astimezone(tz))
        component.add("sequence", 0)
        component.add("status", "CONFIRMED")
        component.add("summary", item["summary"])
        component.add("description", item["description"])
        component.add("url", item["url"])
        component.add("location", "Online")
        component.add("organizer", "mailto:no-reply@example.org")
        calendar.add_component(component)
    return calendar.to_ical()


def _items_from(body: bytes) -> tuple[list[dict], str]:
    """The VEVENTs' data as plain values (parsed from Consult's own file)."""
    from icalendar import Calendar

    parsed = Calendar.from_ical(body)
    items = []
    zone = "UTC"
    for component in parsed.walk("VEVENT"):
        start = component.decoded("dtstart")
        zone = getattr(start.tzinfo, "key", zone)
        items.append(
            {
                "uid": str(component["uid"]),
                "stamp": component.decoded("dtstamp"),
                "start": start,
                "end": component.decoded("dtend"),
                "summary": str(component["summary"]),
                "description": str(component["description"]),
                "url": str(component["url"]),
            }
        )
    return items, zone


def _measure(client, engine, path: str, repeat: int) -> dict:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}")
    with QueryCounter(engine) as counter:
        client.get(path)
    seconds, response = median_time(lambda: client.get(path), repeat)
    return {"seconds": round(seconds, 4), "queries": counter.count,
            "bytes": len(response.data), "body": response.data}  # fmt: skip


def _ceiling_figure(body: bytes, repeat: int) -> float:
    from icalendar import Timezone

    items, zone = _items_from(body)
    first = min(i["start"] for i in items).date()
    last = max(i["start"] for i in items).date()
    timezone = Timezone.from_tzid(
        zone, first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 3, 1, 1)
    )
    extra = {"prodid": "-//Bench//EN", "version": "2.0", "_timezone": timezone}
    extra = {k: v for k, v in extra.items()}

    def build():
        calendar_extra = {k: v for k, v in extra.items() if k != "_timezone"}
        calendar_extra["_timezone"] = timezone
        return _ceiling(items, zone, calendar_extra)

    build()
    seconds, _ = median_time(build, repeat)
    return seconds


def run(url: str, mode: dict) -> dict:
    from consult.calendar.feeds import feed_token
    from consult.extensions import db
    from consult.registration.models import Registration
    from consult.timeutil import now_utc

    app = make_app(url)
    repeat = mode["repeat"]
    figures = {}
    with app.app_context():
        now = now_utc().replace(microsecond=0)
        events = _events(mode["feed_events"], now)
        _with_sessions(events[0], mode["sessions"])
        registration = db.session.scalar(
            select(Registration).where(Registration.email == FEED_EMAIL).limit(1)
        )
        feed_path = f"/calendar/feed/{feed_token(registration)}.ics"
        sessions_path = f"/events/{events[0].slug}/calendar.ics?sessions=1"
        engine = db.engine
        db.session.remove()
    # Requests run outside any app context of ours: each gets its own session,
    # as under gunicorn (an outer context would share its identity map).
    client = app.test_client()
    feed = _measure(client, engine, feed_path, repeat)
    sessions = _measure(client, engine, sessions_path, repeat)
    for name, figure in (("feed_200_events", feed), ("event_50_sessions", sessions)):
        body = figure.pop("body")
        figure["vevents"] = body.count(b"BEGIN:VEVENT")
        figure["icalendar_alone_s"] = round(_ceiling_figure(body, repeat), 4)
        figure["ratio"] = round(figure["icalendar_alone_s"] / figure["seconds"], 3)
        figures[name] = figure
    engine.dispose()
    return figures
