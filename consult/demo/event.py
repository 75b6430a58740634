"""The demo event itself: Petaling Jaya's webinar, its agenda and speakers.

Pure texts of the case plus add_event(), which consult.demo.seed_demo() calls
before each area adds its own content to the event.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from consult.auth.models import User
from consult.cities.services import city_for_host
from consult.events.models import AgendaSession, Event, PartnerCity, Speaker
from consult.events.services.setup import give_event_defaults
from consult.extensions import db
from consult.timeutil import localize, to_local

DEMO_ZONE = "Asia/Kuala_Lumpur"

DESCRIPTION = """\
Malaysia is preparing a **Circular Economy Roadmap for plastics**. The City of
**Petaling Jaya** wants the way forward to be shaped by the whole *quadruple
helix* — government (including state governments), the private sector,
research and civil society — and to be **inclusive**, reaching the informal
sector and vulnerable groups who collect, sort and reuse much of the city's
material today.

In this consultation webinar, Petaling Jaya presents its top five challenges,
European partner cities and circular-economy experts share what has worked for
them — circular product design, durability, reusability, upgradability,
reparability, recycled content, less single-use and no premature
obsolescence — and every stakeholder group gets the floor.

### Petaling Jaya's five challenges

1. Food and organic waste
2. Plastic pollution and packaging
3. Construction material flow and design
4. Household e-waste
5. Lack of digital sharing tools and platforms as an enabler for circular cities

### What happens with your input

The results feed Petaling Jaya's **local action plan** (activities and pilot
projects) and a **knowledge-exchange library** of resources and best practices
open to every city in the programme.

Sessions are held in English. The webinar starts at 16:00 in Kuala Lumpur,
which is the morning in Europe.
"""

# (minutes from start, duration, title, description, speakers)
AGENDA = [
    (
        0,
        10,
        "Welcome and programme context",
        "Why Petaling Jaya and its European partners are working together, and "
        "how this consultation feeds the local action plan.",
        [
            ("Nurul Aisyah Rahman", "Petaling Jaya City Council (MBPJ)", "Petaling Jaya", "Malaysia",
             "Head of the city's sustainability unit, coordinating the circular-city programme."),
            ("Pieter van Dijk", "City cooperation programme, technical team", "Brussels", "Belgium",
             "Supports city-to-city pairings between Europe and South-East Asia."),
        ],
    ),
    (
        10,
        15,
        "Malaysia's Circular Economy Roadmap for plastics",
        "Where the national roadmap stands, what it asks of cities, and how the "
        "state governments take part.",
        [
            ("Dr. Farid Hakim", "Ministry responsible for environmental sustainability", "Putrajaya",
             "Malaysia", "Leads the working group drafting the plastics roadmap."),
        ],
    ),
    (
        25,
        20,
        "Petaling Jaya's five challenges",
        "Food and organic waste; plastic pollution and packaging; construction "
        "material flow and design; household e-waste; digital sharing tools and "
        "platforms as an enabler for circular cities.",
        [
            ("Lim Mei Ling", "Petaling Jaya City Council (MBPJ)", "Petaling Jaya", "Malaysia",
             "Environmental officer responsible for waste and resource flows."),
        ],
    ),
    (
        45,
        30,
        "European best practices on circular product design",
        "Durability, reusability, upgradability and reparability; recycled "
        "content; reducing single-use; avoiding premature obsolescence. Short "
        "cases from partner cities, followed by questions.",
        [
            ("Marta Kowalska", "Circular Economy Club, Warsaw chapter", "Warsaw", "Poland",
             "Organises repair and reuse networks with the city's housing cooperatives."),
            ("Jan de Vries", "Municipality of Utrecht", "Utrecht", "Netherlands",
             "Works on circular public procurement in construction."),
            ("Élodie Martin", "Zero-waste programme, City of Lyon", "Lyon", "France",
             "Runs the city's bio-waste and packaging-reduction pilots."),
        ],
    ),
    (
        75,
        30,
        "Moderated quadruple-helix dialogue",
        "Government, private sector, research and civil society — together with "
        "representatives of the informal sector — respond to the challenges and "
        "the European cases. Questions from participants are taken throughout.",
        [
            ("Prof. Tan Wei Ming", "Universiti Malaya, Department of Environmental Engineering",
             "Kuala Lumpur", "Malaysia", "Moderator; researches informal recycling networks."),
            ("Siti Aminah", "Community recyclers' association", "Petaling Jaya", "Malaysia",
             "Represents waste pickers and small collection businesses."),
        ],
    ),
    (
        105,
        15,
        "Next steps toward a local action plan",
        "How the inputs and priorities collected today become activities and "
        "pilot projects, and how to stay involved.",
        [
            ("Nurul Aisyah Rahman", "Petaling Jaya City Council (MBPJ)", "Petaling Jaya", "Malaysia", ""),
        ],
    ),
]  # fmt: skip

PARTNER_CITIES = [("Utrecht", "Netherlands"), ("Warsaw", "Poland"), ("Lyon", "France")]
TOPICS = [
    "Circular economy",
    "Plastics",
    "Food and organic waste",
    "Construction",
    "E-waste",
    "Digital sharing platforms",
    "Inclusion of the informal sector",
]


def _demo_start(now: datetime) -> datetime:
    """16:00 Kuala Lumpur time, about three weeks after `now`."""
    day = to_local(now, DEMO_ZONE).date() + timedelta(days=21)
    return localize(datetime.combine(day, time(16, 0)), DEMO_ZONE)


def add_event(organiser: User, slug: str, *, now: datetime) -> Event:
    """The published demo event, about three weeks ahead, with its defaults; flushes."""
    start = _demo_start(now)
    event = Event(
        slug=slug,
        title="Designing Circular Cities in Malaysia — Stakeholder Consultation Webinar",
        summary=(
            "Petaling Jaya brings its five circular-economy challenges; European "
            "cities and experts share best practices; every stakeholder group "
            "shapes the local action plan."
        ),
        description_md=DESCRIPTION,
        host_city="Petaling Jaya",
        host_country="Malaysia",
        topics=list(TOPICS),
        timezone=DEMO_ZONE,
        start_at=start,
        end_at=start + timedelta(hours=2),
        join_url="https://meet.example.org/j/designing-circular-cities",
        capacity=300,
        # Registration opened two weeks ago; the demo registrations arrived since.
        registration_opens_at=now - timedelta(days=14),
        registration_closes_at=start,
        status="published",
        owner=organiser,
        created_at=now - timedelta(days=15),
        updated_at=now - timedelta(days=15),
        published_at=now - timedelta(days=14),
    )
    event.city = city_for_host("Petaling Jaya", "Malaysia", DEMO_ZONE, now=now)
    event.partner_cities = [
        PartnerCity(name=name, country=country, position=i)
        for i, (name, country) in enumerate(PARTNER_CITIES)
    ]
    for offset, minutes, title, description, speakers in AGENDA:
        session_start = start + timedelta(minutes=offset)
        event.sessions.append(
            AgendaSession(
                title=title,
                description_md=description,
                start_at=session_start,
                end_at=session_start + timedelta(minutes=minutes),
                speakers=[
                    Speaker(name=n, affiliation=a, city=c, country=k, bio=b, position=i)
                    for i, (n, a, c, k, b) in enumerate(speakers)
                ],
            )
        )
    db.session.add(event)
    db.session.flush()
    give_event_defaults(event, now=now - timedelta(days=15))
    return event
