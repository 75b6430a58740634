"""iCalendar files built with icalendar 7: one VEVENT per event, stable UIDs.

Times are written in the event's zone with a VTIMEZONE generated from zoneinfo,
except wall times that are ambiguous or skipped there (around a DST change),
which are written in UTC so every client reads the same instant.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Timezone, vCalAddress
from icalendar import Event as VEvent
from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from consult.content import text_in
from consult.dial_in import dial_in_for
from consult.events.models import Speaker
from consult.extensions import db
from consult.links import external_url
from consult.notifications.mime import EmailAttachment
from consult.platforms.models import join_link_for
from consult.timeutil import format_range, format_time, utc_offset_label, zone_city

PRODID = "-//Consult//Consultation webinars//EN"
FALLBACK_DOMAIN = "consult.invalid"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def uid_domain() -> str:
    """The right-hand side of every UID: the site's host, never random."""
    host = (current_app.config.get("SERVER_NAME") or "").split(":")[0].strip()
    return host.lower() or FALLBACK_DOMAIN


def event_uid(event) -> str:
    return f"event-{event.id}@{uid_domain()}"


def session_uid(session) -> str:
    return f"session-{session.id}@{uid_domain()}"


def event_url(event) -> str:
    return external_url("events.detail", slug=event.slug)


def zoned(moment: datetime, zone_name: str) -> datetime:
    """The instant in the zone, or in UTC when its wall time there is ambiguous."""
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    wall = local.replace(tzinfo=None)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first != second:
        return moment.astimezone(UTC)
    return local


def organizer() -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"] or "")
    organiser = vCalAddress(f"mailto:{address or 'no-reply@' + uid_domain()}")
    if name:
        organiser.params["CN"] = name
    return organiser


def attendee(registration) -> vCalAddress:
    person = vCalAddress(f"mailto:{registration.email}")
    person.params["CN"] = registration.full_name
    person.params["ROLE"] = "REQ-PARTICIPANT"
    person.params["PARTSTAT"] = "ACCEPTED"
    person.params["RSVP"] = "FALSE"
    return person


def new_calendar(method: str) -> Calendar:
    """An empty VCALENDAR; built by hand because Calendar.new() adds a random UID."""
    if method not in METHODS:
        raise ValueError(f"unknown calendar method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def serialise(calendar: Calendar) -> bytes:
    """The file's bytes (CRLF line endings), with a VTIMEZONE for each zone used."""
    starts = [c.decoded("dtstart") for c in calendar.walk("VEVENT")]
    if starts:
        first = min(starts).date()
        first_date = date(first.year - 1, 1, 1)
        last_date = date(max(starts).year + 3, 1, 1)
        # What Calendar.add_missing_timezones does, with each VTIMEZONE built
        # once per process: icalendar takes 15-45 ms to build one for a zone
        # without DST (Asia/Kuala_Lumpur, UTC), on every confirmation email.
        position = len(calendar.timezones)
        for tzid in sorted(calendar.get_missing_tzids()):
            timezone = _vtimezone(tzid, first_date, last_date)
            if timezone is not None:
                calendar.subcomponents.insert(position, copy.deepcopy(timezone))
                position += 1
    return calendar.to_ical()


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_date: date, last_date: date) -> Timezone | None:
    """The zone's VTIMEZONE for the span (a copy goes into each calendar)."""
    try:
        timezone = Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:  # not a zone icalendar knows: left out, as before
        return None
    for observance in timezone.subcomponents:
        _one_rdate_per_line(observance)
    return timezone


def _one_rdate_per_line(observance) -> None:
    """Each RDATE value on a line of its own.

    icalendar lists every later change of an observance on one RDATE line;
    Mozilla's ical.js (Thunderbird) reads only a property's first value, so
    it missed every daylight-saving change after the first year and showed
    later summers an hour off. One value per RDATE means the same to every
    parser (RFC 5545 allows both).
    """
    rdates = observance.pop("RDATE", None)
    if rdates is None:
        return
    for rdate in rdates if isinstance(rdates, list) else [rdates]:
        for value in rdate.dts:
            observance.add("RDATE", value.dt)


def load_agenda(event) -> None:
    """The event's sessions and all their speakers in two queries, not one per session."""
    missing = [
        session
        for session in event.sessions
        if inspect(session).persistent and "speakers" in inspect(session).unloaded
    ]
    if not missing:
        return
    speakers: dict[int, list[Speaker]] = {session.id: [] for session in missing}
    for speaker in db.session.scalars(
        select(Speaker)
        .where(Speaker.session_id.in_(list(speakers)))
        .order_by(Speaker.position, Speaker.id)
    ):
        speakers[speaker.session_id].append(speaker)
    for session in missing:
        set_committed_value(session, "speakers", speakers[session.id])


def agenda_lines(event) -> list[str]:
    """One line per agenda session, in the event's zone."""
    load_agenda(event)
    lines = []
    for session in event.sessions:
        span = (
            f"{format_time(session.start_at, event.timezone)}–"
            f"{format_time(session.end_at, event.timezone)}"
        )
        speakers = ", ".join(s.name for s in session.speakers)
        lines.append(
            f"{span} {text_in(session, 'title')}"
            + (f" ({speakers})" if speakers else "")
        )
    return lines


def event_description(
    event, *, join_url: str = "", dial_in=None, join_personal: bool = False
) -> str:
    """Summary, join link and dial-in numbers (personal copies of confirmed
    people only), agenda and the event's page."""
    parts = []
    summary = text_in(event, "summary")
    if summary:
        parts.append(summary)
    parts.append(
        _(
            "When: %(when)s",
            when=format_range(event.start_at, event.end_at, event.timezone),
        )
    )
    if join_url and join_personal:
        parts.append(
            _("Your personal join link (do not share it): %(url)s", url=join_url)
        )
    elif join_url:
        parts.append(_("Join link: %(url)s", url=join_url))
    if dial_in is not None:
        parts.append(dial_in.text())
    lines = agenda_lines(event)
    if lines:
        label = _(
            "Agenda (%(city)s time, %(offset)s):",
            city=zone_city(event.timezone),
            offset=utc_offset_label(event.start_at, event.timezone),
        )
        parts.append("\n".join([label, *lines]))
    parts.append(_("Event page: %(url)s", url=event_url(event)))
    return "\n\n".join(parts)


def event_component(
    event, *, now: datetime, description: str, sequence: int, status: str
) -> VEvent:
    """The VEVENT of the event itself."""
    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now.astimezone(UTC))
    component.add("dtstart", zoned(event.start_at, event.timezone))
    component.add("dtend", zoned(event.end_at, event.timezone))
    component.add("sequence", sequence)
    component.add("status", status)
    component.add("summary", text_in(event, "title"))
    component.add("description", description)
    component.add("url", event_url(event))
    component.add("location", _("Online"))
    component.add("organizer", organizer())
    component.add("transp", "OPAQUE")
    return component


def session_component(session, event, *, now: datetime) -> VEvent:
    """An agenda session as an event of its own."""
    component = VEvent()
    component.add("uid", session_uid(session))
    component.add("dtstamp", now.astimezone(UTC))
    component.add("dtstart", zoned(session.start_at, event.timezone))
    component.add("dtend", zoned(session.end_at, event.timezone))
    component.add("sequence", event.sequence)
    component.add("status", _status(event))
    component.add("summary", f"{text_in(session, 'title')} · {text_in(event, 'title')}")
    speakers = [
        ", ".join(p for p in (s.name, s.affiliation, s.city) if p)
        for s in session.speakers
    ]
    text = [
        text_in(session, "description_md"),
        *speakers,
        _("Event page: %(url)s", url=event_url(event)),
    ]
    component.add("description", "\n\n".join(t for t in text if t))
    component.add("url", event_url(event))
    component.add("location", _("Online"))
    component.add("organizer", organizer())
    component.add("related-to", event_uid(event))
    return component


def _status(event) -> str:
    return "CANCELLED" if event.is_cancelled else "CONFIRMED"


def public_calendar(event, *, now: datetime, with_sessions: bool = False) -> bytes:
    """The public .ics of an event (METHOD:PUBLISH), never with the join link."""
    calendar = new_calendar("PUBLISH")
    calendar.add_component(
        event_component(
            event,
            now=now,
            description=event_description(event),
            sequence=event.sequence,
            status=_status(event),
        )
    )
    if with_sessions:
        for session in event.sessions:
            calendar.add_component(session_component(session, event, now=now))
    return serialise(calendar)


def invite_calendar(registration, *, now: datetime, method: str | None = None) -> bytes:
    """A registrant's own copy: REQUEST (with their join link) or CANCEL.

    Without a method, the one the event's state calls for: a copy downloaded
    after the event was cancelled must withdraw it, not invite to it again.
    """
    event = registration.event
    if method is None:
        method = "CANCEL" if event.is_cancelled else "REQUEST"
    if method == "CANCEL":
        # A personal cancellation must outrank the invite it withdraws.
        sequence = event.sequence if event.is_cancelled else event.sequence + 1
        status, link, dial_in = "CANCELLED", None, None
    else:
        sequence, status = event.sequence, _status(event)
        seated = registration.status == "confirmed" and not event.is_cancelled
        link = join_link_for(registration) if seated else None
        dial_in = dial_in_for(event, registration.country) if seated else None
    component = event_component(
        event,
        now=now,
        description=event_description(
            event,
            join_url=link.url if link else "",
            join_personal=bool(link and link.personal),
            dial_in=dial_in,
        ),
        sequence=sequence,
        status=status,
    )
    if registration.email:
        component.add("attendee", attendee(registration))
    calendar = new_calendar(method)
    calendar.add_component(component)
    return serialise(calendar)


def feed_calendar(registrations, *, now: datetime, name: str) -> bytes:
    """A subscribed calendar of the events a person is confirmed for."""
    calendar = new_calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.refresh_interval = timedelta(hours=1)
    calendar.add("x-published-ttl", "PT1H")
    for registration in registrations:
        event = registration.event
        calendar.add_component(
            event_component(
                event,
                now=now,
                description=event_description(event),
                sequence=event.sequence,
                status=_status(event),
            )
        )
    return serialise(calendar)


def invite_attachments(
    registration, *, now: datetime, method: str = "REQUEST"
) -> tuple[EmailAttachment, ...]:
    """The invite as a text/calendar body part plus the same file as an .ics."""
    content = invite_calendar(registration, now=now, method=method)
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return (
        EmailAttachment(
            filename=filename,
            content_type=f"text/calendar; method={method}; charset=UTF-8",
            content=content,
            disposition="alternative",
        ),
        # application/ics, so that clients offer the file without acting twice.
        EmailAttachment(
            filename=filename,
            content_type="application/ics",
            content=content,
            disposition="attachment",
        ),
    )
