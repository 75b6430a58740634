"""Fixtures for the action plan tests: a host city and its consultation.

- ``city_event``: the shared ``reg_event`` hosted by Petaling Jaya (its city
  record), with two challenges (a third archived), two inputs selected for
  the action plan, one not selected and one selected but hidden;
- ``city``: that city; ``plan``: its plan, started by the organiser;
- ``other_event``: an event of another organiser hosted by Subang Jaya, with
  a challenge and a selected input of its own;
- ``rep``: the city's representative of ``city_event`` (invited);
- ``action_data(**fields)``: valid ActionData for ``city_event``.
"""

from __future__ import annotations

import pytest

from consult.actions.services.editing import ActionData, start_plan
from consult.challenges.models import Challenge, Input
from consult.cities.services import city_for_host
from consult.contributions.services import invite_representative
from consult.events.models import PartnerCity
from consult.extensions import db
from tests.factories import SERVER_NAMED, create_reg_event


@pytest.fixture
def app_config():
    """The representative's invitation carries an absolute link."""
    return SERVER_NAMED


def _host(event, name, now):
    event.host_city, event.host_country = name, "Malaysia"
    event.city = city_for_host(name, "Malaysia", event.timezone, now=now)


def _input(event, registration, challenge, title, *, selected=True, **fields):
    item = Input(
        event_id=event.id,
        registration_id=registration.id,
        challenge_id=challenge.id if challenge else None,
        kind=fields.pop("kind", "pilot_proposal"),
        state=fields.pop("state", "published"),
        title=title,
        body=f"About {title}.",
        selected_for_plan=selected,
        **fields,
    )
    db.session.add(item)
    return item


@pytest.fixture
def city_event(reg_event, make_registration, now):
    _host(reg_event, "Petaling Jaya", now)
    reg_event.partner_cities = [
        PartnerCity(name="Ljubljana", country="Slovenia", position=0)
    ]
    food, plastic, old = (
        Challenge(event_id=reg_event.id, position=i, title=t, category=c)
        for i, (t, c) in enumerate(
            [
                ("Food and organic waste", "food_organic"),
                ("Plastic packaging", "plastics_packaging"),
                ("Old challenge", "e_waste"),
            ]
        )
    )
    old.archived_at = now
    db.session.add_all([food, plastic, old])
    db.session.flush()
    author = make_registration(reg_event)
    _input(
        reg_event,
        author,
        food,
        "Compost hubs at wet markets",
        lead="MBPJ",
        partners="Ljubljana",
        budget_range="10k_50k",
    )
    _input(reg_event, author, plastic, "Refill shops", kind="best_practice")
    _input(reg_event, author, food, "Not selected", selected=False)
    _input(reg_event, author, food, "Hidden one", state="hidden")
    db.session.commit()
    return reg_event


@pytest.fixture
def city(city_event):
    return city_event.city


def inputs_of(event, **where) -> list[Input]:
    rows = db.session.query(Input).filter_by(event_id=event.id, **where)
    return list(rows.order_by(Input.id))


def challenges_of(event) -> list[Challenge]:
    rows = db.session.query(Challenge).filter_by(event_id=event.id)
    return list(rows.order_by(Challenge.position))


@pytest.fixture
def plan(city, organiser, now):
    plan = start_plan(city, organiser, now=now)
    db.session.commit()
    return plan


@pytest.fixture
def other_event(other_organiser, make_registration, now):
    event = create_reg_event(other_organiser, now, title="Subang consultation")
    _host(event, "Subang Jaya", now)
    challenge = Challenge(
        event_id=event.id, position=0, title="Subang waste", category="food_organic"
    )
    db.session.add(challenge)
    db.session.flush()
    _input(event, make_registration(event), challenge, "Subang idea")
    db.session.commit()
    return event


@pytest.fixture
def rep(city_event, organiser, now):
    rep = invite_representative(
        city_event, organiser, name="Lim Mei Ling", email="lim@mbpj.example.my", now=now
    )
    db.session.commit()
    return rep


@pytest.fixture
def action_data(city_event):
    def _data(**fields) -> ActionData:
        food = challenges_of(city_event)[0]
        compost = inputs_of(city_event)[0]
        values = dict(
            title="Compost hubs pilot",
            description="Three **hubs**.",
            kind="pilot",
            challenge_ids=[food.id],
            input_ids=[compost.id],
            lead_organisation="MBPJ",
            partners="Ljubljana (Slovenia)\nZero Waste Malaysia",
        )
        values.update(fields)
        return ActionData(**values)

    return _data
