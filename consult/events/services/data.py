"""Plain input records for the event services, filled by forms, the CLI or tests.

Times are wall-clock values in the event's zone (naive), as an organiser types
them; the services localise them exactly once. An aware value is taken as the
instant it already is, so callers holding UTC times need not convert back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PartnerCityData:
    name: str
    country: str = ""


@dataclass
class EventData:
    title: str
    timezone: str
    start: datetime | None
    end: datetime | None
    slug: str = ""
    summary: str = ""
    description: str = ""
    host_city: str = ""
    host_country: str = ""
    partner_cities: list[PartnerCityData] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    join_url: str = ""
    # "country code, number, label" per line (consult/dial_in.py).
    dial_in_numbers: str = ""
    dial_in_code: str = ""
    slides_url: str = ""
    recording_url: str = ""
    capacity: int | None = None
    registration_opens: datetime | None = None
    registration_closes: datetime | None = None
    # The programme the event belongs to (None: none), applied only when
    # ``set_programme`` (the organiser's form has the choice; other callers
    # leave an event's programme as it is).
    programme_id: int | None = None
    set_programme: bool = False


@dataclass
class SpeakerData:
    name: str
    affiliation: str = ""
    city: str = ""
    country: str = ""
    bio: str = ""


@dataclass
class SessionData:
    title: str
    start: datetime | None
    end: datetime | None
    description: str = ""
    speakers: list[SpeakerData] = field(default_factory=list)
