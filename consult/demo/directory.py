"""Demo participant directory: fifteen profiles, Asian and European, and three
meeting requests (accepted, pending, declined).

The people are demo registrants who consented to the listing; the requests
are written as rows (no email is queued: their addresses are made up).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.directory.models import (
    DirectoryProfile,
    MeetingRequest,
    MeetingSlot,
)
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration

# name -> (looking for, offering, challenge positions, topics)
PROFILES = {
    "Tan Wei Ming": (
        "European partners for a food-waste composting pilot in PJ markets.",
        "Access to hawker centres and wet markets for pilots.",
        (0,),
        "composting, markets",
    ),
    "Rajesh Kumar": (
        "Recyclers who can take mixed plastic film at scale.",
        "A network of 40 collection points in Selangor.",
        (1,),
        "plastic film, collection",
    ),
    "Ahmad Faizal Ismail": (
        "Examples of public procurement with recycled content.",
        "The state government's view on the roadmap.",
        (1, 2),
        "procurement",
    ),
    "Jan de Vries": (
        "A Malaysian city partner for a deposit-return trial.",
        "Utrecht's experience with reuse hubs and repair cafés.",
        (1, 3),
        "deposit return, repair",
    ),
    "Camille Bernard": (
        "Start-ups working on refill and reuse in Asia.",
        "Lyon's circular public procurement guide.",
        (1,),
        "refill, procurement",
    ),
    "Mateja Novak": (
        "Cities ready to share data on material flows.",
        "Ljubljana's zero-waste programme, step by step.",
        (0, 4),
        "zero waste, data",
    ),
    "Wong Kah Hoe": (
        "Buyers for recycled construction aggregate.",
        "Demolition sites in the Klang Valley for trials.",
        (2,),
        "construction, aggregates",
    ),
    "Kevin Teoh": (
        "Investors for an e-waste take-back app.",
        "A working prototype and 5,000 users.",
        (3, 4),
        "e-waste, apps",
    ),
    "Marco Rossi": (
        "Partners for an electronics refurbishment centre.",
        "Twenty years of WEEE refurbishment in Milan.",
        (3,),
        "refurbishment",
    ),
    "Thomas Müller": (
        "Pilot sites for digital material passports.",
        "Software for tracking building materials.",
        (2, 4),
        "material passports",
    ),
    "Dr. Lim Boon Keat": (
        "Field data on household waste composition.",
        "A university lab for testing bioplastics.",
        (0, 1),
        "bioplastics, research",
    ),
    "Dr. Katarzyna Wiśniewska": (
        "Co-authors for a comparative study EU–ASEAN.",
        "Warsaw's data on municipal waste since 2015.",
        (0,),
        "research, statistics",
    ),
    "Dr. Miguel Santos": (
        "Case studies of informal collectors' cooperatives.",
        "Training material on circular design.",
        (1,),
        "informal sector, design",
    ),
    "Laura Fernández": (
        "Community groups running sharing libraries.",
        "Barcelona's map of sharing initiatives.",
        (4,),
        "sharing economy",
    ),
    "Siti Aminah": (
        "Support to formalise our collectors' group.",
        "What waste pickers in Petaling Jaya need.",
        (1,),
        "informal sector",
    ),
}
# (sender, recipient, status, days ahead of the first slot)
REQUESTS = (
    ("Jan de Vries", "Tan Wei Ming", "accepted", 3),
    ("Camille Bernard", "Rajesh Kumar", "pending", 4),
    ("Marco Rossi", "Kevin Teoh", "declined", 5),
)
MESSAGES = {
    "accepted": "Utrecht would like to learn how PJ markets compost; 30 minutes?",
    "pending": "We are looking for refill partners in Malaysia. Could we talk?",
    "declined": "Would you consider refurbishment for your take-back app?",
}


def _listed_people(event: Event) -> dict[str, Registration]:
    rows = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.status == "confirmed",
            Registration.full_name.in_(list(PROFILES)),
        )
    )
    return {r.full_name: r for r in rows}


def seed_directory(event: Event, *, now: datetime) -> int:
    """Profiles for fifteen listed demo registrants, and three requests; flushes."""
    people = _listed_people(event)
    challenges = list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.event_id == event.id)
            .order_by(Challenge.position, Challenge.id)
        )
    )
    for name, (looking_for, offering, positions, topics) in PROFILES.items():
        person = people.get(name)
        if person is None:
            continue
        person.consent_listing = True
        db.session.add(
            DirectoryProfile(
                registration_id=person.id,
                looking_for=looking_for,
                offering=offering,
                topics=topics,
                challenges=[challenges[p] for p in positions if p < len(challenges)],
                updated_at=now,
            )
        )
    start = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for sender, recipient, status, days in REQUESTS:
        if sender not in people or recipient not in people:
            continue
        slots = [start + timedelta(days=days, hours=h) for h in (0, 2)]
        db.session.add(
            MeetingRequest(
                event_id=event.id,
                sender_id=people[sender].id,
                recipient_id=people[recipient].id,
                message=MESSAGES[status],
                sender_zone=people[sender].timezone,
                status=status,
                agreed_start_at=slots[0] if status == "accepted" else None,
                created_at=now - timedelta(days=2),
                decided_at=now - timedelta(days=1) if status != "pending" else None,
                slots=[MeetingSlot(start_at=s) for s in slots],
            )
        )
    db.session.flush()
    return len(people)
