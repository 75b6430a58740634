"""The demo's programme: International Urban Cooperation — Asia.

Petaling Jaya, host of the demo consultation, is paired with Utrecht, Warsaw
and Lyon, each with the themes of their cooperation; the cities' records get
their region and population. Seeding twice (the security suite's two events)
makes a second programme of its own, as the event gets its own slug.
"""

from __future__ import annotations

from datetime import datetime

from consult.cities.services import city_for_host, link_partner_cities
from consult.events.models import Event
from consult.extensions import db
from consult.programmes.services.editing import create_programme, set_template
from consult.programmes.services.pairs import add_pair

NAME = "International Urban Cooperation — Asia"
DESCRIPTION = (
    "The **International Urban Cooperation** programme pairs cities in Asia with "
    "European cities to work together on sustainable urban development.\n\n"
    "Each pair shares what has worked, and every consultation of the programme "
    "feeds the host city's local action plan."
)
PARTNERS = (
    ("Utrecht", "Netherlands", "circular construction, sharing platforms"),
    ("Warsaw", "Poland", "food and organic waste, e-waste collection"),
    ("Lyon", "France", "plastic packaging, circular procurement"),
)
# (name, country, region, population)
RECORDS = (
    ("Petaling Jaya", "Malaysia", "South-East Asia", 771_687),
    ("Utrecht", "Netherlands", "Western Europe", 361_924),
    ("Warsaw", "Poland", "Central Europe", 1_861_975),
    ("Lyon", "France", "Western Europe", 522_250),
)


def seed_programme(event: Event, organiser, *, now: datetime):
    """The programme with the demo event as its template, its city pairs
    and the cities' records."""
    link_partner_cities(event, now=now)
    programme = create_programme(organiser, NAME, DESCRIPTION, now=now)
    event.programme_id = programme.id
    db.session.flush()
    set_template(programme, organiser, event.id, now=now)
    for name, country, themes in PARTNERS:
        add_pair(
            programme,
            organiser,
            host=(event.host_city, event.host_country),
            partner=(name, country),
            themes=themes,
            now=now,
        )
    for name, country, region, population in RECORDS:
        city = city_for_host(name, country, "UTC", now=now)
        city.region, city.population = region, population
    db.session.flush()
    return programme
