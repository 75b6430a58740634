"""'Add to calendar' links for web calendars, built server-side with UTC times."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from consult.calendar.ics import event_description
from consult.content import text_in

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def google_calendar_url(event) -> str:
    """A Google Calendar 'create event' link prefilled with the public details."""
    query = {
        "action": "TEMPLATE",
        "text": text_in(event, "title"),
        "dates": f"{_compact_utc(event.start_at)}/{_compact_utc(event.end_at)}",
        "details": event_description(event),
        "location": "Online",
    }
    return f"{GOOGLE_TEMPLATE}?{urlencode(query)}"


def outlook_calendar_url(event) -> str:
    """An Outlook.com 'new event' link prefilled with the public details."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": text_in(event, "title"),
        "startdt": _iso_utc(event.start_at),
        "enddt": _iso_utc(event.end_at),
        "body": event_description(event),
        "location": "Online",
    }
    return f"{OUTLOOK_COMPOSE}?{urlencode(query)}"
