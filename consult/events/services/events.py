"""Creating, editing, publishing and cancelling events (cloning: cloning.py)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _

from consult.cities.services import city_for_host, link_partner_cities
from consult.dial_in import clean_code, parse_numbers
from consult.errors import Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event, PartnerCity
from consult.events.services.common import require_not_cancelled, require_organiser
from consult.events.services.data import EventData, PartnerCityData
from consult.events.services.programme import choose_programme
from consult.events.services.setup import give_event_defaults
from consult.events.services.slugs import clean_slug
from consult.extensions import db
from consult.numbers import MAX_SEATS
from consult.text import clean_text
from consult.timeutil import is_valid_timezone, shift_wall, to_utc, wall_clock

MAX_TOPICS = 20
# What a calendar copy of the event shows; a change must reach attendees.
CALENDAR_FIELDS = (
    "start_at",
    "end_at",
    "title",
    "join_url",
    "dial_in_numbers",
    "dial_in_code",
)


def create_event(actor, data: EventData, *, now: datetime) -> Event:
    """Create a draft event owned by the actor, ready to take registrations."""
    require_organiser(actor)
    problems = Problems()
    values = _validated(data, problems, exclude_id=None)
    programme = problems.take(choose_programme, actor, None, data)
    problems.raise_any()
    cities = values.pop("partner_cities")
    event = Event(
        owner_id=actor.id,
        status="draft",
        sequence=0,
        created_at=now,
        updated_at=now,
        **values,
    )
    event.partner_cities = _partner_city_rows(cities)
    if data.set_programme and programme is not None:
        event.programme_id = programme.id
    _link_city(event, now)
    db.session.add(event)
    db.session.flush()
    give_event_defaults(event, now=now)
    return event


def update_event(event: Event, actor, data: EventData, *, now: datetime) -> Event:
    """Apply an organiser's edits; the agenda moves with the event's start."""
    require_manager(actor, event)
    require_not_cancelled(event)
    values, moved_sessions = _checked_edit(event, data)
    programme = choose_programme(actor, event, data)
    cities = values.pop("partner_cities")
    calendar_changed = any(getattr(event, k) != values[k] for k in CALENDAR_FIELDS)
    for key, value in values.items():
        setattr(event, key, value)
    for session, start_at, end_at in moved_sessions:
        session.start_at, session.end_at = start_at, end_at
    event.partner_cities = _partner_city_rows(cities)
    if data.set_programme:
        event.programme = programme
    _link_city(event, now)
    if event.is_published and calendar_changed:
        event.sequence += 1
    event.updated_at = now
    db.session.flush()
    if event.is_published:
        # More seats: those waiting get them first, in order.
        # Inline: registration sits above events here (the waiting list); see
        # tests/test_architecture.py HIDDEN_CYCLES
        from consult.registration.services.seats import promote_from_waitlist

        promote_from_waitlist(event, now=now)
    return event


def check_event(data: EventData, *, event: Event | None = None) -> None:
    """Every problem with an event's input, new (``event`` None) or an edit of
    ``event``, raised together; nothing is written."""
    if event is None:
        problems = Problems()
        _validated(data, problems, exclude_id=None)
        problems.raise_any()
    else:
        _checked_edit(event, data)


def _checked_edit(event: Event, data: EventData) -> tuple[dict, list]:
    """An edit's column values and moved sessions, or every problem with it:
    the input's own, the seats already confirmed, the agenda that must fit."""
    problems = Problems()
    values = _validated(data, problems, exclude_id=event.id)
    if not problems.has("capacity"):
        problems.take(
            _check_capacity_against_seats,
            event,
            values["capacity"],
            key_update=values["slug"] not in (None, event.slug),
        )
    moved = []
    if values["start_at"] and values["end_at"]:
        moved = problems.take(_sessions_moved_to, event, values) or []
    problems.raise_any()
    return values, moved


def _check_capacity_against_seats(
    event: Event, capacity: int | None, *, key_update: bool
) -> None:
    """Refuse a capacity below the seats already confirmed (under the seat lock).

    ``key_update``: the edit changes the slug (see ``lock_event``).
    """
    # Inline: registration sits above events here (the seat lock); see
    # tests/test_architecture.py HIDDEN_CYCLES
    from consult.registration.services.seats import lock_event

    confirmed = lock_event(event.id, key_update=key_update).confirmed_count
    if capacity is not None and capacity < confirmed:
        raise ValidationFailed(
            _(
                "%(n)d people are confirmed, so the capacity cannot be lower. "
                "Move some of them to the waiting list first.",
                n=confirmed,
            ),
            field="capacity",
        )


def publish_event(event: Event, actor, *, now: datetime) -> Event:
    """Make a draft visible on the public pages."""
    require_manager(actor, event)
    if not event.is_draft:
        raise ValidationFailed(_("Only a draft can be published."))
    event.status = "published"
    event.published_at = now
    event.updated_at = now
    db.session.flush()
    return event


def cancel_event(event: Event, actor, reason: str, *, now: datetime) -> Event:
    """Cancel a published event, keeping its page up with the reason."""
    require_manager(actor, event)
    if not event.is_published:
        raise ValidationFailed(_("Only a published event can be cancelled."))
    event.cancellation_reason = clean_text(
        reason, "reason", max_length=2000, required=True
    )
    event.status = "cancelled"
    event.cancelled_at = now
    # Calendar cancellations must carry a higher SEQUENCE than the invite.
    event.sequence += 1
    event.updated_at = now
    db.session.flush()
    return event


def _link_city(event: Event, now: datetime) -> None:
    """Point the event at its host and partner cities' records, made when
    first named."""
    city = city_for_host(event.host_city, event.host_country, event.timezone, now=now)
    event.host_city_id = None if city is None else city.id
    link_partner_cities(event, now=now)


def _sessions_moved_to(event: Event, values: dict) -> list:
    """New times for each session, keeping its wall-clock offset from the start.

    Refuses the edit when a session would no longer fit inside the event.
    """
    # An event stored with an absurd date (year 1, 9999) is being corrected:
    # its sessions keep their own times rather than move by thousands of years.
    follow = event.agenda_in_range
    if follow:
        old_start_wall = wall_clock(event.start_at, event.timezone)
        new_start_wall = wall_clock(values["start_at"], values["timezone"])
        delta = new_start_wall - old_start_wall
    moved = []
    for session in event.sessions:
        start_at, end_at = session.start_at, session.end_at
        if follow:
            start_at = shift_wall(start_at, event.timezone, delta, values["timezone"])
            end_at = shift_wall(end_at, event.timezone, delta, values["timezone"])
        if start_at < values["start_at"] or end_at > values["end_at"]:
            raise ValidationFailed(
                _(
                    "The agenda session “%(title)s” would no longer fit inside the "
                    "event. Change or remove it on the agenda page first.",
                    title=session.title,
                ),
                field="end",
            )
        moved.append((session, start_at, end_at))
    return moved


def _validated(data: EventData, problems: Problems, *, exclude_id) -> dict:
    """Event column values from the input; what is wrong goes to ``problems``
    (a refused value is None), for the caller to raise with its own checks."""
    title = problems.take(
        clean_text, data.title, "title", max_length=200, required=True
    )
    zone = (data.timezone or "").strip()
    times = dict.fromkeys(
        ("start_at", "end_at", "registration_opens_at", "registration_closes_at")
    )
    if is_valid_timezone(zone):
        times = _checked_times(data, zone, problems)
    else:
        problems.add(_("Choose a time zone from the list."), "timezone")
    dial_in = problems.take(parse_numbers, data.dial_in_numbers) or []
    dial_in_code = ""
    if not problems.has("dial_in_numbers"):
        dial_in_code = problems.take(
            clean_code, data.dial_in_code, has_numbers=bool(dial_in)
        )
    if data.capacity is not None and data.capacity < 0:
        problems.add(_("Capacity cannot be negative."), "capacity")
    if data.capacity is not None and data.capacity > MAX_SEATS:
        problems.add(_("At most %(n)s seats, please.", n=f"{MAX_SEATS:,}"), "capacity")
    values = {
        "slug": problems.take(
            clean_slug, data.slug, title or "", exclude_id=exclude_id
        ),
        "summary": problems.take(clean_text, data.summary, "summary", max_length=500),
        "description_md": problems.take(
            clean_text, data.description, "description", max_length=20000
        ),
        "host_city": problems.take(
            clean_text, data.host_city, "host_city", max_length=120
        ),
        "host_country": problems.take(
            clean_text, data.host_country, "host_country", max_length=120
        ),
        "topics": problems.take(_clean_topics, data.topics),
        "join_url": problems.take(_clean_url, data.join_url, "join_url"),
        "slides_url": problems.take(_clean_url, data.slides_url, "slides_url"),
        "recording_url": problems.take(_clean_url, data.recording_url, "recording_url"),
        "partner_cities": problems.take(_clean_partner_cities, data.partner_cities),
    }
    return {
        **values,
        **times,
        "title": title,
        "timezone": zone,
        "dial_in_numbers": [number.stored() for number in dial_in],
        "dial_in_code": dial_in_code,
        "capacity": data.capacity,
    }


def _checked_times(data: EventData, zone: str, problems: Problems) -> dict:
    """The event's instants in UTC; the rules between them checked once each
    of the instants they compare could be read."""
    start_at = problems.take(to_utc, data.start, zone, "start", required=True)
    end_at = problems.take(to_utc, data.end, zone, "end", required=True)
    if start_at and end_at and end_at <= start_at:
        problems.add(_("The end must be after the start."), "end")
    opens_at = problems.take(
        to_utc, data.registration_opens, zone, "registration_opens"
    )
    closes_at = problems.take(
        to_utc, data.registration_closes, zone, "registration_closes"
    )
    _check_registration_window(opens_at, closes_at, end_at, problems)
    return {
        "start_at": start_at,
        "end_at": end_at,
        "registration_opens_at": opens_at,
        "registration_closes_at": closes_at,
    }


def _check_registration_window(opens_at, closes_at, end_at, problems) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        problems.add(
            _("Registration must close after it opens."), "registration_closes"
        )
    elif closes_at and end_at and closes_at > end_at:
        problems.add(
            _("Registration must close no later than the end of the event."),
            "registration_closes",
        )
    if opens_at and end_at and opens_at >= end_at:
        problems.add(
            _("Registration must open before the event ends."), "registration_opens"
        )


def _clean_url(value: str | None, field: str) -> str:
    url = clean_text(value, field, max_length=500)
    if not url:
        return ""
    problem = _("Give a web address that starts with https:// or http://.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationFailed(problem, field=field)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValidationFailed(problem, field=field) from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValidationFailed(problem, field=field)
    return url


def _clean_topics(topics: list[str]) -> list[str]:
    cleaned, seen = [], set()
    for topic in topics or []:
        text = " ".join((topic or "").split())
        if not text or text.casefold() in seen:
            continue
        if len(text) > 80:
            raise ValidationFailed(
                _("Each topic may have at most 80 characters."), field="topics"
            )
        seen.add(text.casefold())
        cleaned.append(text)
    if len(cleaned) > MAX_TOPICS:
        raise ValidationFailed(
            _("At most %(n)d topics, please.", n=MAX_TOPICS), field="topics"
        )
    return cleaned


def _clean_partner_cities(cities: list[PartnerCityData]) -> list[PartnerCityData]:
    cleaned = []
    for city in cities or []:
        name = clean_text(city.name, "partner_cities", max_length=120)
        country = clean_text(city.country, "partner_cities", max_length=120)
        if not name and not country:
            continue
        if not name:
            raise ValidationFailed(
                _("Each partner city needs a name."), field="partner_cities"
            )
        cleaned.append(PartnerCityData(name=name, country=country))
    return cleaned


def _partner_city_rows(cities: list[PartnerCityData]) -> list[PartnerCity]:
    return [
        PartnerCity(name=c.name, country=c.country, position=i)
        for i, c in enumerate(cities)
    ]
