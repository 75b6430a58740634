"""Fixtures for the action-plan tests: a host city's plan built through the
models (the editing pages have tests of their own).

``plan_city``: ``dash_event`` (tests/dashboard/conftest.py: three challenges,
12 ballots: government 5, private sector 4, research 2, civil society 1)
hosted by Petaling Jaya (Asia/Kuala_Lumpur), its results published, and a
plan with:

- "Community composting pilot" (published): answers the first two
  challenges, builds on a consented input, an unconsented one and a hidden
  one, owner ``OWNER_EMAIL``; a milestone due ``DUE`` days after today in
  the city, one done, an update;
- "Packaging study" (published): answers no challenge;
- "Secret incinerator deal" (never published): answers the third challenge,
  with a milestone.

``plan_world``: the shared ``reg_event`` hosted by Petaling Jaya, two
challenges, two selected inputs (one author consented to be named, one did
not), and the city's plan: two published actions (one with an overdue
milestone on the city's calendar, one with text a spreadsheet would run as a
formula) and one draft.

- ``city_event``: the shared ``reg_event`` hosted by Petaling Jaya (its city
  record), with two challenges (a third archived), two inputs selected for
  the action plan, one not selected and one selected but hidden;
- ``city``: that city; ``plan``: its plan, started by the organiser;
- ``other_event``: an event of another organiser hosted by Subang Jaya, with
  a challenge and a selected input of its own;
- ``rep``: the city's representative of ``city_event`` (invited);
- ``action_data(**fields)``: valid ActionData for ``city_event``.

``world`` / ``owned`` (owners, updates, reminders): ``reg_event``'s host city
with a plan, one action recorded a week ago and a milestone due in 30 days;
``owned`` gives the action an owner writing in Bahasa Melayu.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from consult.actions.models import (
    Action,
    ActionChallenge,
    ActionInput,
    ActionPlan,
    ActionUpdate,
    Milestone,
    PlanVersion,
)
from consult.actions.services.dates import city_today
from consult.actions.services.editing import ActionData, start_plan
from consult.actions.services.owners import OwnerData, set_owner
from consult.actions.services.plan_pdf import printed
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.cities.services import city_for_host
from consult.contributions.services import invite_representative
from consult.dashboard.services.publication import publish_results
from consult.events.models import Event, PartnerCity
from consult.extensions import db
from tests.calendar.conftest import icaljs  # noqa: F401
from tests.dashboard.conftest import dash_event  # noqa: F401
from tests.factories import SERVER_NAMED, create_reg_event

OWNER_EMAIL = "owner-secret@example.org"
OWNER_NAME = "Olivia Ownername"
SECRET_TITLE = "Secret incinerator deal"
SECRET_MILESTONE = "Secret milestone"
DUE_IN_DAYS = 10


@pytest.fixture
def app_config() -> dict:
    return dict(SERVER_NAMED)


@dataclass
class PlanCity:
    city: City
    plan: ActionPlan
    event: object
    challenges: list[Challenge]
    pilot: Action
    study: Action
    secret: Action
    due: Milestone  # due on ``due_on``, not done
    done: Milestone
    due_on: date


def add_action(plan, title, *, now, published=True, challenges=(), **fields):
    action = Action(
        plan_id=plan.id,
        title=title,
        kind=fields.pop("kind", "pilot"),
        status=fields.pop("status", "in_progress"),
        progress=fields.pop("progress", 0),
        owner_name=OWNER_NAME,
        owner_email=OWNER_EMAIL,
        published_at=now if published else None,
        created_at=now,
        updated_at=now,
        **fields,
    )
    db.session.add(action)
    db.session.flush()
    for challenge in challenges:
        db.session.add(ActionChallenge(action_id=action.id, challenge_id=challenge.id))
    db.session.flush()
    return action


def host_in_petaling_jaya(event, now: datetime) -> City:
    event.host_city = "Petaling Jaya"
    event.host_country = "Malaysia"
    city = city_for_host("Petaling Jaya", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    event.host_city_id = city.id
    db.session.flush()
    return city


@pytest.fixture
def plan_city(dash_event, organiser, now) -> PlanCity:  # noqa: F811
    event = dash_event
    city = host_in_petaling_jaya(event, now)
    challenges = sorted(
        db.session.query(Challenge).filter_by(event_id=event.id),
        key=lambda c: c.position,
    )
    plan = ActionPlan(
        city_id=city.id,
        title="Petaling Jaya circular action plan",
        introduction_md="We act on what people **asked for**.",
    )
    db.session.add(plan)
    db.session.flush()
    pilot = add_action(
        plan,
        "Community composting pilot",
        now=now,
        challenges=challenges[:2],
        progress=40,
        position=1,
        description_md="Compost in *every* neighbourhood.",
        lead_organisation="Majlis Bandaraya Petaling Jaya",
        partners="City of Utrecht\nCircular Economy Club",
        budget_amount=Decimal("250000"),
        budget_currency="MYR",
        funding_source="EU city-to-city programme",
        start_on=now.date(),
        end_on=now.date() + timedelta(days=365),
    )
    inputs = event.test_inputs
    inputs[4].state = "hidden"
    inputs[4].title = "Hidden input title"
    for item in (inputs[0], inputs[2], inputs[4]):
        db.session.add(ActionInput(action_id=pilot.id, input_id=item.id))
    due_on = city_today(city, now) + timedelta(days=DUE_IN_DAYS)
    due = Milestone(action_id=pilot.id, title="Sites chosen", due_on=due_on)
    done = Milestone(
        action_id=pilot.id,
        title="Partners signed",
        due_on=due_on - timedelta(days=20),
        done_on=due_on - timedelta(days=21),
    )
    db.session.add_all([due, done])
    db.session.add(
        ActionUpdate(
            action_id=pilot.id,
            posted_on=due_on - timedelta(days=15),
            body="Three sites **visited**.",
            progress=40,
            status_before="planned",
            status_after="in_progress",
            author_name=OWNER_NAME,
            link="https://example.org/news",
        )
    )
    study = add_action(
        plan, "Packaging study", now=now, kind="study", status="planned", position=2
    )
    secret = add_action(
        plan, SECRET_TITLE, now=now, published=False, challenges=challenges[2:]
    )
    db.session.add(
        Milestone(action_id=secret.id, title=SECRET_MILESTONE, due_on=due_on)
    )
    publish_results(event, organiser, note="", now=now)
    db.session.commit()
    return PlanCity(
        city, plan, event, challenges, pilot, study, secret, due, done, due_on
    )


FORMULA = '=HYPERLINK("http://evil.example","click")'


@dataclass
class PlanWorld:
    event: Event
    city: City
    plan: ActionPlan
    food: Action  # published, an overdue milestone, a formula in its lead
    plastics: Action  # published
    draft: Action  # not published
    named: Input  # its author consented to be named
    unnamed: Input  # its author did not


def _input(event, challenge, registration, title, *, named: bool, now) -> Input:
    item = Input(
        event_id=event.id,
        challenge_id=challenge.id,
        registration_id=registration.id,
        kind="solution_idea",
        state="published",
        title=title,
        body="Details.",
        consent_named=named,
        selected_for_plan=True,
        published_at=now,
        created_at=now,
        updated_at=now,
    )
    db.session.add(item)
    return item


@pytest.fixture
def plan_world(reg_event, make_registration, now) -> PlanWorld:
    printed.clear()  # PDFs kept by an earlier test's process state
    event = reg_event
    city = city_for_host("Petaling Jaya", "Malaysia", event.timezone, now=now)
    event.host_city, event.host_country, event.host_city_id = (
        "Petaling Jaya",
        "Malaysia",
        city.id,
    )
    food = Challenge(
        event_id=event.id,
        position=0,
        title="Food and organic waste",
        category="food_organic",
    )
    plastics = Challenge(
        event_id=event.id,
        position=1,
        title="Plastic packaging",
        category="plastics_packaging",
    )
    db.session.add_all([food, plastics])
    db.session.flush()
    amina = make_registration(event, full_name="Amina Named", consent_listing=True)
    hidden = make_registration(event, full_name="Hidden Author")
    named = _input(event, food, amina, "Compost at hawker centres", named=True, now=now)
    unnamed = _input(event, plastics, hidden, "Refill shops", named=False, now=now)
    plan = ActionPlan(
        city_id=city.id,
        title="Petaling Jaya action plan",
        introduction_md="Our **plan** for a circular city.",
        created_at=now,
        updated_at=now,
    )
    db.session.add(plan)
    db.session.flush()
    today = city_today(city, now)
    food_action = Action(
        plan_id=plan.id,
        position=0,
        title="Hawker centre food-waste pilot",
        kind="pilot",
        status="in_progress",
        progress=40,
        lead_organisation=FORMULA,
        partners="City of Lyon\nHawkers' association",
        budget_amount=Decimal("180000"),
        budget_currency="MYR",
        funding_source="City budget",
        start_on=today - timedelta(days=30),
        end_on=today + timedelta(days=200),
        owner_name="Owner Person",
        owner_email="owner@example.org",
        published_at=now,
    )
    food_action.challenges = [food]
    food_action.inputs = [named]
    food_action.milestones = [
        Milestone(title="Bins installed", due_on=today - timedelta(days=3)),
        Milestone(title="Due today, not late", due_on=today),
        Milestone(
            title="Stallholders briefed",
            due_on=today - timedelta(days=10),
            done_on=today - timedelta(days=11),
        ),
    ]
    food_action.updates = [
        ActionUpdate(
            posted_on=today - timedelta(days=2),
            body="Collection runs daily.",
            progress=40,
            status_after="in_progress",
            author_name="Owner Person",
        )
    ]
    plastics_action = Action(
        plan_id=plan.id,
        position=1,
        title="Refill shop policy",
        kind="policy",
        status="planned",
        progress=0,
        published_at=now,
    )
    plastics_action.challenges = [plastics]
    plastics_action.inputs = [unnamed]
    draft = Action(
        plan_id=plan.id,
        position=2,
        title="Secret draft action",
        kind="study",
        status="planned",
        progress=0,
    )
    draft.challenges = [plastics]
    db.session.add_all([food_action, plastics_action, draft])
    db.session.flush()
    db.session.add(
        PlanVersion(plan_id=plan.id, number=1, snapshot={}, published_at=now)
    )
    db.session.commit()
    return PlanWorld(
        event, city, plan, food_action, plastics_action, draft, named, unnamed
    )


@dataclass
class ProgressWorld:
    event: object
    city: object
    plan: ActionPlan
    action: Action
    milestone: Milestone


def make_plan_world(event, now, *, city_name: str = "Petaling Jaya") -> ProgressWorld:
    """The event's host city (Kuala Lumpur's zone) with a plan, an action
    recorded a week ago and a milestone due in 30 days, committed."""
    city = city_for_host(city_name, "Malaysia", "Asia/Kuala_Lumpur", now=now)
    event.host_city = city_name
    event.host_city_id = city.id
    plan = ActionPlan(city_id=city.id, title=f"{city_name} action plan")
    db.session.add(plan)
    db.session.flush()
    action = Action(
        plan_id=plan.id,
        title="Food waste pilot",
        kind="pilot",
        status="planned",
        progress=0,
        created_at=now - timedelta(days=7),
        updated_at=now - timedelta(days=7),
    )
    db.session.add(action)
    db.session.flush()
    milestone = Milestone(
        action_id=action.id,
        title="Collection points chosen",
        due_on=now.date() + timedelta(days=30),
        created_at=now - timedelta(days=7),
    )
    db.session.add(milestone)
    db.session.commit()
    return ProgressWorld(event, city, plan, action, milestone)


@pytest.fixture
def world(reg_event, now) -> ProgressWorld:
    return make_plan_world(reg_event, now)


@pytest.fixture
def owned(world, organiser, now) -> ProgressWorld:
    """The world's action with an owner (Bahasa Melayu), link email queued."""
    set_owner(
        world.action,
        organiser,
        OwnerData(name="Siti Aminah", email="siti@example.org", language="ms"),
        now=now,
    )
    db.session.commit()
    return world


def _hosted_by(event, name, now):
    event.host_city, event.host_country = name, "Malaysia"
    event.city = city_for_host(name, "Malaysia", event.timezone, now=now)


def _selected_input(event, registration, challenge, title, *, selected=True, **fields):
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
    _hosted_by(reg_event, "Petaling Jaya", now)
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
    _selected_input(
        reg_event,
        author,
        food,
        "Compost hubs at wet markets",
        lead="MBPJ",
        partners="Ljubljana",
        budget_range="10k_50k",
    )
    _selected_input(reg_event, author, plastic, "Refill shops", kind="best_practice")
    _selected_input(reg_event, author, food, "Not selected", selected=False)
    _selected_input(reg_event, author, food, "Hidden one", state="hidden")
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
    _hosted_by(event, "Subang Jaya", now)
    challenge = Challenge(
        event_id=event.id, position=0, title="Subang waste", category="food_organic"
    )
    db.session.add(challenge)
    db.session.flush()
    _selected_input(event, make_registration(event), challenge, "Subang idea")
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
