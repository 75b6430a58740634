"""The demo's earlier Petaling Jaya event: the circular-economy scoping webinar.

About ten months before the consultation, Petaling Jaya first named its five
challenges (in shorter words) with Utrecht and Lyon; thirty registrants across
the stakeholder groups gave their 10 points, attendance was recorded and the
results published. The consultation's challenges carry the scoping ones
forward (``lineage_id``), so the city's page shows how each group's priorities
moved: at scoping, government put plastics first; at the consultation, food
waste. Everything goes through the real services at the dates it happened.
Called by consult.demo.seed_demo() after the programme; a city that has the
scoping webinar already keeps it as it is (seeding twice).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from consult.challenges.services import (
    ChallengeData,
    WindowData,
    add_challenge,
    event_challenges,
    save_priorities,
    update_window,
    window_open,
)
from consult.cities.services import link_partner_cities
from consult.dashboard.services.dashboard import publication_of
from consult.dashboard.services.publication import publish_results
from consult.demo.challenges import _points
from consult.demo.registration import ZONES, _email
from consult.events.models import Event, PartnerCity
from consult.events.services.slugs import slugify
from consult.extensions import db
from consult.registration.attendance.services import complete_attendance
from consult.registration.services import (
    RegistrationData,
    ensure_stakeholder_types,
    register,
)
from consult.timeutil import localize, to_local

TITLE = "Petaling Jaya circular economy scoping webinar"
SUMMARY = (
    "Petaling Jaya and its partner cities Utrecht and Lyon scope the city's "
    "circular-economy challenges before the full stakeholder consultation."
)
DESCRIPTION = """\
A first, shorter webinar of the **International Urban Cooperation** pairing:
Petaling Jaya names the circular-economy challenges it wants to work on, and
Utrecht and Lyon say where their experience can help.

Every stakeholder group is asked which challenge should come first. The
answers shape the full stakeholder consultation that follows.
"""
TOPICS = ["Circular economy", "Plastics", "Food and organic waste"]
PARTNERS = (("Utrecht", "Netherlands"), ("Lyon", "France"))
# The consultation's five challenges in their first, shorter form, in the
# same order (consult.demo.challenges_data.CHALLENGES).
CHALLENGES = (
    ("Food waste", "food_organic", "Food waste from homes and markets goes to landfill."),
    ("Single-use plastics", "plastics_packaging", "Plastic bags and polystyrene clog drains and rivers."),
    ("Construction waste", "construction", "Rubble and building materials are dumped, not reused."),
    ("E-waste", "e_waste", "Old phones and appliances end up with unlicensed dismantlers."),
    ("Sharing platforms", "digital_platforms", "Few digital tools help residents share, repair and reuse."),
)  # fmt: skip
# At scoping, each group's leaning (weights for its 10 points): government
# and the private sector put plastics first, civil society and the informal
# sector e-waste, before the consultation moved them (consult.demo.challenges).
TYPE_WEIGHTS = {
    "government": (1, 5, 2, 1, 1),
    "private": (1, 4, 1, 2, 2),
    "research": (1, 2, 3, 3, 1),
    "civil_society": (1, 2, 1, 4, 2),
    "informal": (1, 2, 0, 6, 1),
}
# (name, country, city, organisation, job title, type)
PEOPLE = [
    ("Tan Wei Ming", "MY", "Petaling Jaya", "Petaling Jaya City Council (MBPJ)", "Deputy Director, Environment", "government"),
    ("Ahmad Faizal Ismail", "MY", "Petaling Jaya", "Petaling Jaya City Council (MBPJ)", "Urban Services Officer", "government"),
    ("Nor Azizah Hamid", "MY", "Shah Alam", "Selangor State Economic Planning Unit", "Senior Planner", "government"),
    ("Mohd Rizal Osman", "MY", "Putrajaya", "Department of Environment Malaysia", "Assistant Director", "government"),
    ("Jan de Vries", "NL", "Utrecht", "Municipality of Utrecht", "Circular Procurement Adviser", "government"),
    ("Claire Moreau", "FR", "Lyon", "Métropole de Lyon", "Waste Prevention Officer", "government"),
    ("Farah Liyana Aziz", "MY", "Petaling Jaya", "Petaling Jaya City Council (MBPJ)", "Planning Officer", "government"),
    ("Wong Kah Hoe", "MY", "Petaling Jaya", "PJ Packaging Sdn Bhd", "Managing Director", "private"),
    ("Kevin Teoh", "MY", "Petaling Jaya", "BinaHijau Construction", "Sustainability Manager", "private"),
    ("Goh Pei Shan", "MY", "Kuala Lumpur", "RefillKL", "Founder", "private"),
    ("Harith Iskandar", "MY", "Shah Alam", "Selangor Recycling Sdn Bhd", "Operations Manager", "private"),
    ("Bram Hendriks", "NL", "Utrecht", "ReUse Logistics BV", "Business Developer", "private"),
    ("Léa Rousseau", "FR", "Lyon", "Emballages Circulaires SAS", "Product Manager", "private"),
    ("Daniel Lee", "MY", "Kuala Lumpur", "Federation of Malaysian Manufacturers", "Policy Analyst", "private"),
    ("Dr. Noraini Abdullah", "MY", "Kuala Lumpur", "Universiti Malaya", "Associate Professor", "research"),
    ("Dr. Lim Boon Keat", "MY", "Serdang", "Universiti Putra Malaysia", "Senior Lecturer", "research"),
    ("Dr. Sarah Jansen", "NL", "Utrecht", "Utrecht University", "Assistant Professor", "research"),
    ("Dr. Hugo Lefèvre", "FR", "Lyon", "INSA Lyon", "Research Engineer", "research"),
    ("Nurul Izzah Salleh", "MY", "Bangi", "Universiti Kebangsaan Malaysia", "PhD Candidate", "research"),
    ("Ravi Shankar", "MY", "Petaling Jaya", "Zero Waste Malaysia", "Programme Director", "civil_society"),
    ("Yap Su Lin", "MY", "Petaling Jaya", "PJ Residents' Network", "Chairperson", "civil_society"),
    ("Arif Hidayat", "MY", "Petaling Jaya", "Food Bank PJ", "Volunteer Lead", "civil_society"),
    ("Emma Visser", "NL", "Utrecht", "Repair Café Utrecht", "Volunteer", "civil_society"),
    ("Charlotte Dupont", "FR", "Lyon", "Circular Economy Club, Lyon", "Chapter Organiser", "civil_society"),
    ("Hasnah Mohd Noor", "MY", "Klang", "Women in Circular Economy Malaysia", "Coordinator", "civil_society"),
    ("Kumar Selvam", "MY", "Petaling Jaya", "PJ Waste Pickers' Collective", "Representative", "informal"),
    ("Siti Aminah", "MY", "Petaling Jaya", "Community recyclers' association", "Secretary", "informal"),
    ("Zulkifli Hassan", "MY", "Klang", "Scrap dealer (sole trader)", "Owner", "informal"),
    ("Mariam Abdul Rahim", "MY", "Petaling Jaya", "Night market traders' association", "Committee Member", "informal"),
    ("Chin Ah Kow", "MY", "Petaling Jaya", "Kampung Lindungan traders", "Hawker", "informal"),
]  # fmt: skip
CONSULTATION_NOTE = (
    "The priorities registrants have given so far. The page will be updated "
    "after the webinar."
)
# Roughly every sixth registrant did not join on the day.
ABSENT_EVERY = 6


def _start(consultation: Event) -> datetime:
    """16:00 in Kuala Lumpur, about ten months before the consultation."""
    day = to_local(consultation.start_at, consultation.timezone).date()
    return localize(
        datetime.combine(day - timedelta(days=301), time(16, 0)),
        consultation.timezone,
    )


def _add_event(consultation: Event, organiser, start: datetime) -> Event:
    slug, n = slugify(TITLE), 1
    while db.session.scalar(select(Event.id).where(Event.slug == slug)):
        n += 1
        slug = f"{slugify(TITLE)}-{n}"
    opens = start - timedelta(days=28)
    event = Event(
        slug=slug,
        title=TITLE,
        summary=SUMMARY,
        description_md=DESCRIPTION,
        host_city=consultation.host_city,
        host_country=consultation.host_country,
        city=consultation.city,
        programme_id=consultation.programme_id,
        topics=list(TOPICS),
        timezone=consultation.timezone,
        start_at=start,
        end_at=start + timedelta(minutes=90),
        join_url="https://meet.example.org/j/pj-scoping-webinar",
        capacity=100,
        registration_opens_at=opens,
        registration_closes_at=start,
        status="published",
        owner=organiser,
        created_at=opens - timedelta(days=1),
        updated_at=opens - timedelta(days=1),
        published_at=opens,
    )
    event.partner_cities = [
        PartnerCity(name=name, country=country, position=i)
        for i, (name, country) in enumerate(PARTNERS)
    ]
    db.session.add(event)
    db.session.flush()
    link_partner_cities(event, now=opens)
    ensure_stakeholder_types(event)
    return event


def seed_scoping(consultation: Event, organiser, *, now: datetime) -> Event | None:
    """The scoping webinar, its challenges carried into the consultation's,
    its registrants' priorities and attendance, results published; flushes.
    None when the consultation's city has it already. The consultation's
    own results (its registrants' priorities) are published too, at ``now``,
    so the city's page can set both side by side."""
    if publication_of(consultation) is None:
        publish_results(consultation, organiser, note=CONSULTATION_NOTE, now=now)
    city = consultation.city
    if city is None or db.session.scalar(
        select(Event.id).where(Event.host_city_id == city.id, Event.title == TITLE)
    ):
        return None
    start = _start(consultation)
    event = _add_event(consultation, organiser, start)
    opens = event.registration_opens_at
    update_window(
        event,
        organiser,
        WindowData(opens_at=opens, closes_at=event.end_at + timedelta(days=7)),
        now=opens,
    )
    scoped = [
        add_challenge(
            event,
            organiser,
            ChallengeData(title, description, category, "Petaling Jaya"),
            now=opens,
        )
        for title, category, description in CHALLENGES
    ]
    for later, first in zip(event_challenges(consultation), scoped, strict=False):
        later.lineage_id = first.id
    rng = random.Random(20260201)
    step = (start - opens) / (len(PEOPLE) + 1)
    for n, (name, country, town, org, title, type_key) in enumerate(PEOPLE):
        when = opens + step * (n + 1)
        registration = register(
            event,
            RegistrationData(
                full_name=name, organisation=org, job_title=title, country=country,
                city=town, timezone=ZONES[country], email=_email(name, country),
                type_key=type_key, consent_privacy=True, consent_followup=True,
            ),
            now=when,
        ).registration  # fmt: skip
        if window_open(event, when):
            points = _points(TYPE_WEIGHTS[type_key], rng)
            save_priorities(
                registration,
                {scoped[i].id: p for i, p in points.items()},
                now=when,
            )
        if n % ABSENT_EVERY != ABSENT_EVERY - 1:
            registration.attended = True
            registration.attended_minutes = rng.randint(55, 90)
    complete_attendance(event, now=event.end_at + timedelta(days=1), via="import")
    publish_results(
        event,
        organiser,
        note="Thank you to everyone who took part. These priorities shape the "
        "full stakeholder consultation.",
        now=event.end_at + timedelta(days=14),
    )
    db.session.flush()
    return event
