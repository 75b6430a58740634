"""A host city with an action plan, one action and a milestone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from consult.actions.models import Action, ActionPlan, Milestone
from consult.actions.services.owners import OwnerData, set_owner
from consult.cities.services import city_for_host
from consult.extensions import db
from tests.factories import SERVER_NAMED


@pytest.fixture
def app_config() -> dict:
    return dict(SERVER_NAMED)


@dataclass
class PlanWorld:
    event: object
    city: object
    plan: ActionPlan
    action: Action
    milestone: Milestone


def make_plan_world(event, now, *, city_name: str = "Petaling Jaya") -> PlanWorld:
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
    return PlanWorld(event, city, plan, action, milestone)


@pytest.fixture
def world(reg_event, now) -> PlanWorld:
    return make_plan_world(reg_event, now)


@pytest.fixture
def owned(world, organiser, now) -> PlanWorld:
    """The world's action with an owner (Bahasa Melayu), link email queued."""
    set_owner(
        world.action,
        organiser,
        OwnerData(name="Siti Aminah", email="siti@example.org", language="ms"),
        now=now,
    )
    db.session.commit()
    return world
