"""Fixtures for the action plan's files: a city's plan built through the models.

``plan_world``: the shared ``reg_event`` hosted by Petaling Jaya, two
challenges, two selected inputs (one author consented to be named, one did
not), and the city's plan: two published actions (one with an overdue
milestone on the city's calendar, one with text a spreadsheet would run as a
formula) and one draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from consult.actions.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    Milestone,
    PlanVersion,
)
from consult.actions.services.dates import city_today
from consult.actions.services.plan_pdf import printed
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.cities.services import city_for_host
from consult.events.models import Event
from consult.extensions import db

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
