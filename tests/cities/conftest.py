"""Fixtures for the city page tests.

``city_world``: Petaling Jaya hosting

- ``scoping``: an earlier published event (300 days before) with three
  challenges: "Food waste (scoping)" and "Plastics (scoping)" are carried to
  the consultation (the consultation's first two challenges share their
  lineage), "Scoping only" is not; 10 ballots (government 5, private 5),
  results published; partner cities Utrecht and Lyon;
- ``consultation``: tests/actions' ``plan_city`` (``dash_event``: 12 ballots,
  government 5, private 4, research 2, civil society 1; results published)
  with the plan (two published actions, one never published: SECRET_TITLE);
  partner cities Utrecht (again) and Warsaw; a library resource;
- ``draft``: a draft event of the city with a challenge, a partner city and a
  library resource whose names say SECRET;
- ``elsewhere``: an event of Subang Jaya with a library resource naming
  Petaling Jaya in its ``city`` field, and another not naming it;
- a mitigation commitment served by the published pilot and the secret
  action, and an adaptation commitment served by nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from consult.challenges.models import Challenge, Priority
from consult.cities.services import city_for_host, link_partner_cities
from consult.covenant.models import CovenantAction, CovenantCommitment
from consult.dashboard.services.publication import publish_results
from consult.events.models import PartnerCity
from consult.extensions import db
from consult.library.models import LibraryEntry
from tests.actions.conftest import app_config, plan_city  # noqa: F401
from tests.dashboard.conftest import dash_event  # noqa: F401
from tests.factories import create_reg_event

SECRET = "SECRET draft"


@dataclass
class CityWorld:
    city: object
    scoping: object
    consultation: object
    draft: object
    elsewhere: object
    scoping_challenges: list
    challenges: list  # the consultation's
    plan: object
    pilot: object  # published action
    secret: object  # never published
    mitigation: CovenantCommitment
    adaptation: CovenantCommitment


def _resource(event, title, now, **fields):
    entry = LibraryEntry(
        source="resource",
        event_id=event.id,
        title=title,
        summary="A resource.",
        published_at=now,
        **fields,
    )
    db.session.add(entry)
    return entry


def _ballots(event, make_registration, challenges, groups, points):
    for i, key in enumerate(groups):
        person = make_registration(event, type_key=key, full_name=f"Voter {key} {i}")
        for challenge, given in zip(challenges, points(key), strict=True):
            db.session.add(
                Priority(
                    event_id=event.id,
                    registration_id=person.id,
                    challenge_id=challenge.id,
                    points=given,
                )
            )


def scoping_event(city, organiser, make_registration, now, *, ballots=True):
    event = create_reg_event(organiser, now, title="PJ scoping webinar")
    event.start_at -= timedelta(days=300)
    event.end_at -= timedelta(days=300)
    event.host_city, event.host_country, event.host_city_id = (
        city.name,
        city.country,
        city.id,
    )
    event.partner_cities = [
        PartnerCity(name="Utrecht", country="Netherlands", position=0),
        PartnerCity(name="Lyon", country="France", position=1),
    ]
    link_partner_cities(event, now=now)
    challenges = [
        Challenge(event_id=event.id, position=i, title=title, category=category)
        for i, (title, category) in enumerate(
            [
                ("Food waste (scoping)", "food_organic"),
                ("Plastics (scoping)", "plastics_packaging"),
                ("Scoping only", "e_waste"),
            ]
        )
    ]
    db.session.add_all(challenges)
    db.session.flush()
    if ballots:
        # Government puts plastics first, the private sector food waste.
        _ballots(
            event,
            make_registration,
            challenges,
            ["government"] * 5 + ["private"] * 5,
            lambda key: (1, 6, 3) if key == "government" else (6, 1, 3),
        )
        publish_results(event, organiser, note="", now=now)
    db.session.flush()
    return event, challenges


@pytest.fixture
def city_world(plan_city, organiser, other_organiser, make_registration, now):  # noqa: F811
    city = plan_city.city
    consultation = plan_city.event
    scoping, scoping_challenges = scoping_event(city, organiser, make_registration, now)
    for mine, first in zip(
        plan_city.challenges[:2], scoping_challenges[:2], strict=True
    ):
        mine.lineage_id = first.id
    consultation.partner_cities = [
        PartnerCity(name="Utrecht", country="Netherlands", position=0),
        PartnerCity(name="Warsaw", country="Poland", position=1),
    ]
    link_partner_cities(consultation, now=now)
    _resource(consultation, "Composting guide", now, organisation="MBPJ")
    draft = create_reg_event(organiser, now, publish=False, title=f"{SECRET} event")
    draft.host_city, draft.host_city_id = city.name, city.id
    draft.partner_cities = [PartnerCity(name=f"{SECRET} city", position=0)]
    link_partner_cities(draft, now=now)
    db.session.add(
        Challenge(
            event_id=draft.id, position=0, title=f"{SECRET} challenge", category="other"
        )
    )
    _resource(draft, f"{SECRET} resource", now)
    elsewhere = create_reg_event(other_organiser, now, title="Subang webinar")
    subang = city_for_host("Subang Jaya", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    elsewhere.host_city, elsewhere.host_city_id = "Subang Jaya", subang.id
    _resource(elsewhere, "Petaling Jaya repair cafés", now, city="petaling jaya")
    _resource(elsewhere, "Subang only resource", now, city="Subang Jaya")
    mitigation = CovenantCommitment(
        city_id=city.id,
        pillar="mitigation",
        title="Cut emissions by 40%",
        target="40% fewer CO2 emissions by 2030 than in 2015",
        reduction_percent=40,
        base_year=2015,
        target_year=2030,
        status="adopted",
        status_on=now.date() - timedelta(days=30),
        description="Adopted by the council.",
    )
    adaptation = CovenantCommitment(
        city_id=city.id,
        pillar="adaptation",
        title="Flood-ready neighbourhoods",
        status="planned",
        status_on=now.date(),
    )
    db.session.add_all([mitigation, adaptation])
    db.session.flush()
    for action in (plan_city.pilot, plan_city.secret):
        db.session.add(CovenantAction(commitment_id=mitigation.id, action_id=action.id))
    db.session.commit()
    return CityWorld(
        city=city,
        scoping=scoping,
        consultation=consultation,
        draft=draft,
        elsewhere=elsewhere,
        scoping_challenges=scoping_challenges,
        challenges=plan_city.challenges,
        plan=plan_city.plan,
        pilot=plan_city.pilot,
        secret=plan_city.secret,
        mitigation=mitigation,
        adaptation=adaptation,
    )
