"""'Add to calendar' links for web calendars, built server-side with UTC times.

The links go to a third party (Google, Microsoft), so they carry only what the
event's public page shows: title, times, summary and the page's address. A
personal join link, a manage link or anything about the person never goes
into them; the personal copy is the emailed invite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from flask_babel import gettext as _

from consult.calendar.ics import event_description, event_url
from consult.content import text_in

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OFFICE_COMPOSE = "https://outlook.office.com/calendar/0/deeplink/compose"
ONLINE = "Online"


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _query(values: dict) -> str:
    # Spaces as %20: Outlook's compose page shows a '+' literally.
    return urlencode(values, quote_via=quote)


def google_calendar_url(
    event, *, details: str | None = None, location: str = ONLINE
) -> str:
    """A Google Calendar 'create event' link prefilled with the public details."""
    query = {
        "action": "TEMPLATE",
        "text": text_in(event, "title"),
        "dates": f"{_compact_utc(event.start_at)}/{_compact_utc(event.end_at)}",
        "details": event_description(event) if details is None else details,
        "location": location,
    }
    return f"{GOOGLE_TEMPLATE}?{_query(query)}"


def outlook_calendar_url(
    event,
    *,
    details: str | None = None,
    location: str = ONLINE,
    base: str = OUTLOOK_COMPOSE,
) -> str:
    """An Outlook.com (or, with ``base``, Microsoft 365) 'new event' link."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": text_in(event, "title"),
        "startdt": _iso_utc(event.start_at),
        "enddt": _iso_utc(event.end_at),
        "body": event_description(event) if details is None else details,
        "location": location,
    }
    return f"{base}?{_query(query)}"


def short_description(event) -> str:
    """The event's summary and public page: no agenda (no query), nothing personal."""
    summary = text_in(event, "summary")
    page = _("Event page: %(url)s", url=event_url(event))
    return f"{summary}\n\n{page}" if summary else page


def web_calendar_links(event) -> dict[str, str]:
    """Google, Outlook.com and Microsoft 365 links for the thank-you page.

    Built from the event's columns alone (the per-process copy the registration
    used will do): the location is the event's public page.
    """
    details, location = short_description(event), event_url(event)
    return {
        "google": google_calendar_url(event, details=details, location=location),
        "outlook": outlook_calendar_url(event, details=details, location=location),
        "office": outlook_calendar_url(
            event, details=details, location=location, base=OFFICE_COMPOSE
        ),
    }
