"""The demo consultation of DESIGN.md: Petaling Jaya's circular-economy webinar.

`flask --app wsgi consult seed-demo` calls seed_demo(); it is idempotent.
The organiser's password is for local demos only and is printed by the command.

The event itself is in consult.demo.event; each area adds its content from its
own module here (registration, challenges, contributions, library, surveys,
then a facilitator's informal-sector people: facilitation),
in that order, since later areas build on what earlier ones made (priorities
need registrants, directory profiles name the challenges, proposals link to
the challenges, ...). Last, every text of the event is given in Bahasa
Malaysia too (consult.demo.malay), the host city's action plan builds on the
inputs (consult.demo.actions), and its Covenant of Mayors commitments name
the actions serving them (consult.demo.covenant). The programme's other
events come last: the city's earlier scoping webinar, whose challenges the
consultation's carry on (consult.demo.scoping, which publishes both events'
results; consult.demo.live gives that past webinar its live questions and
polls), and a second Asian city with its webinar (consult.demo.second_city).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from consult.auth.models import User
from consult.auth.passwords import hash_password
from consult.demo.actions import seed_actions
from consult.demo.challenges import seed_challenges
from consult.demo.contributions import seed_contributions
from consult.demo.covenant import seed_covenant
from consult.demo.directory import seed_directory
from consult.demo.event import add_event
from consult.demo.facilitation import (
    DEMO_FACILITATOR_EMAIL,
    DEMO_FACILITATOR_PASSWORD,
    seed_facilitation,
)
from consult.demo.library import seed_library
from consult.demo.live import seed_live
from consult.demo.malay import seed_malay
from consult.demo.programmes import seed_programme
from consult.demo.registration import seed_registrations
from consult.demo.scoping import seed_scoping
from consult.demo.second_city import seed_second_city
from consult.demo.surveys import seed_surveys
from consult.events.models import Event
from consult.extensions import db

DEMO_ORGANISER_EMAIL = "organiser@example.org"
DEMO_ORGANISER_PASSWORD = "consult-demo"
DEMO_SLUG = "designing-circular-cities-malaysia"
__all__ = [
    "DEMO_FACILITATOR_EMAIL",
    "DEMO_FACILITATOR_PASSWORD",
    "DEMO_ORGANISER_EMAIL",
    "DEMO_ORGANISER_PASSWORD",
    "DEMO_SLUG",
    "SeedResult",
    "seed_demo",
]


@dataclass
class SeedResult:
    organiser: User
    event: Event
    created: bool


def _demo_organiser(now: datetime) -> User:
    organiser = db.session.scalar(
        select(User).where(User.email == DEMO_ORGANISER_EMAIL)
    )
    if organiser is None:
        organiser = User(
            email=DEMO_ORGANISER_EMAIL,
            name="Demo Organiser",
            role="organiser",
            password_hash=hash_password(DEMO_ORGANISER_PASSWORD),
            created_at=now,
            password_changed_at=now,
        )
        db.session.add(organiser)
        db.session.flush()
    return organiser


def seed_demo(*, now: datetime) -> SeedResult:
    """Create the demo organiser and event unless they exist; flushes, no commit."""
    organiser = _demo_organiser(now)
    event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    if event is not None:
        return SeedResult(organiser, event, created=False)
    event = add_event(organiser, DEMO_SLUG, now=now)
    seed_registrations(event, organiser, now=now)
    seed_challenges(event, organiser, now=now)  # and the registrants' priorities
    seed_directory(event, now=now)  # profiles on the challenges, meeting requests
    seed_contributions(event, organiser, now=now)
    seed_library(event, organiser, now=now)
    seed_surveys(event, organiser, now=now)
    seed_facilitation(event, organiser, now=now)  # informal sector, by phone
    seed_malay(event, organiser, now=now)  # every text above, in Malay too
    seed_actions(event, organiser, now=now)  # the city's action plan
    seed_programme(event, organiser, now=now)  # IUC Asia, its city pairs
    seed_covenant(event, now=now)  # its Covenant of Mayors commitments
    seed_scoping(event, organiser, now=now)  # PJ's earlier webinar, results
    seed_live(event, organiser, now=now)  # that webinar's live Q&A and polls
    seed_second_city(event, organiser, now=now)  # Da Nang, paired with Warsaw
    return SeedResult(organiser, event, created=True)
