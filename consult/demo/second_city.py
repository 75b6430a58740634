"""The demo programme's second Asian city: Da Nang and its coastal webinar.

Da Nang (Vietnam) joins International Urban Cooperation — Asia paired with
Warsaw; about four months before `now` it held a short webinar on plastic
waste in coastal cities, with a handful of registrants who attended. Called
by consult.demo.seed_demo() after the programme; a Da Nang that hosts an
event already is left as it is (seeding twice).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from consult.cities.services import city_for_host, link_partner_cities
from consult.demo.registration import ZONES, _email
from consult.events.models import Event, PartnerCity
from consult.events.services.slugs import slugify
from consult.extensions import db
from consult.programmes.services.pairs import add_pair
from consult.registration.attendance.services import complete_attendance
from consult.registration.services import (
    RegistrationData,
    ensure_stakeholder_types,
    register,
)
from consult.timeutil import localize, to_local

CITY, COUNTRY, ZONE = "Da Nang", "Vietnam", "Asia/Ho_Chi_Minh"
REGION, POPULATION = "South-East Asia", 1_220_190
PARTNER = ("Warsaw", "Poland")
THEMES = "plastic waste on beaches and in rivers, deposit-return for bottles"
TITLE = "Plastic waste in coastal cities: a Da Nang webinar"
SUMMARY = (
    "Da Nang and Warsaw compare how a coastal city and a river city keep "
    "plastic out of the water."
)
DESCRIPTION = """\
Tourism has made Da Nang's beaches famous, and the plastic that reaches them
after the monsoon rains a daily concern. In this one-hour webinar the city's
environment department presents its plastic-waste plan, and Warsaw shares how
it keeps packaging out of the Vistula.
"""
TOPICS = ["Plastics", "Coastal cities"]
ZONES_HERE = {**ZONES, "VN": ZONE}
# (name, country, city, organisation, job title, type)
PEOPLE = [
    ("Nguyen Van Minh", "VN", "Da Nang", "Da Nang Department of Natural Resources and Environment", "Deputy Head of Division", "government"),
    ("Tran Thi Hoa", "VN", "Da Nang", "Da Nang Urban Environment Company", "Planning Officer", "government"),
    ("Le Quoc Bao", "VN", "Da Nang", "Son Tra Seafood Cooperative", "Manager", "private"),
    ("Pham Thu Trang", "VN", "Da Nang", "University of Science and Technology, Da Nang", "Lecturer", "research"),
    ("Vo Thi Mai", "VN", "Da Nang", "Green Beach Volunteers", "Coordinator", "civil_society"),
    ("Piotr Zielinski", "PL", "Warsaw", "City of Warsaw, Municipal Services Office", "Waste Policy Officer", "government"),
    ("Agnieszka Lewandowska", "PL", "Warsaw", "Warsaw University of Technology", "Researcher", "research"),
]  # fmt: skip


def _start(now: datetime) -> datetime:
    """10:00 in Da Nang, about four months before ``now``."""
    day = to_local(now, ZONE).date() - timedelta(days=120)
    return localize(datetime.combine(day, time(10, 0)), ZONE)


def seed_second_city(consultation: Event, organiser, *, now: datetime):
    """Da Nang's record, its pair with Warsaw in the consultation's programme
    and its published webinar with a few registrants; flushes. None when
    Da Nang hosts an event already."""
    programme = consultation.programme
    city = city_for_host(CITY, COUNTRY, ZONE, now=now)
    if programme is None or db.session.scalar(
        select(Event.id).where(Event.host_city_id == city.id)
    ):
        return None
    city.timezone, city.region, city.population = ZONE, REGION, POPULATION
    add_pair(
        programme,
        organiser,
        host=(CITY, COUNTRY),
        partner=PARTNER,
        themes=THEMES,
        now=now,
    )
    start = _start(now)
    opens = start - timedelta(days=21)
    slug, n = slugify(TITLE), 1
    while db.session.scalar(select(Event.id).where(Event.slug == slug)):
        n += 1
        slug = f"{slugify(TITLE)}-{n}"
    event = Event(
        slug=slug,
        title=TITLE,
        summary=SUMMARY,
        description_md=DESCRIPTION,
        host_city=CITY,
        host_country=COUNTRY,
        city=city,
        programme_id=programme.id,
        topics=list(TOPICS),
        timezone=ZONE,
        start_at=start,
        end_at=start + timedelta(hours=1),
        join_url="https://meet.example.org/j/da-nang-coastal-plastics",
        capacity=80,
        registration_opens_at=opens,
        registration_closes_at=start,
        status="published",
        owner=organiser,
        created_at=opens - timedelta(days=1),
        updated_at=opens - timedelta(days=1),
        published_at=opens,
        partner_cities=[PartnerCity(name=PARTNER[0], country=PARTNER[1], position=0)],
    )
    db.session.add(event)
    db.session.flush()
    link_partner_cities(event, now=opens)
    ensure_stakeholder_types(event)
    step = (start - opens) / (len(PEOPLE) + 1)
    for i, (name, country, town, org, title, type_key) in enumerate(PEOPLE):
        registration = register(
            event,
            RegistrationData(
                full_name=name, organisation=org, job_title=title, country=country,
                city=town, timezone=ZONES_HERE[country], email=_email(name, country),
                type_key=type_key, consent_privacy=True, consent_followup=True,
            ),
            now=opens + step * (i + 1),
        ).registration  # fmt: skip
        registration.attended, registration.attended_minutes = True, 60
    complete_attendance(event, now=event.end_at + timedelta(hours=2), via="import")
    db.session.flush()
    return event
