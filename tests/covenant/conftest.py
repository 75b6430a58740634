"""Fixtures for the Covenant tests: tests/actions' ``plan_world`` (Petaling
Jaya hosting ``reg_event``, its plan with two published actions and a draft)
and ``other_event`` (Subang Jaya, another organiser's, a plan with an action).

``data(**fields)``: valid CommitmentData (mitigation, 40% from 2015 to 2030,
served by the published food action).
"""

from __future__ import annotations

import pytest

from consult.actions.models import Action, ActionPlan
from consult.covenant.services.editing import CommitmentData
from consult.extensions import db
from tests.actions.conftest import (  # noqa: F401
    app_config,
    other_event,
    plan_world,
)


@pytest.fixture
def data(plan_world, now):  # noqa: F811
    def _data(**fields) -> CommitmentData:
        values = dict(
            pillar="mitigation",
            title="Cut emissions by 40%",
            target="40% fewer CO2 emissions by 2030 than in 2015",
            reduction_percent=40,
            base_year=2015,
            target_year=2030,
            status="adopted",
            status_on=now.date(),
            description="Adopted by the council.",
            action_ids=[plan_world.food.id],
        )
        values.update(fields)
        return CommitmentData(**values)

    return _data


@pytest.fixture
def foreign_action(other_event, now) -> Action:  # noqa: F811
    """An action of Subang Jaya's plan."""
    plan = ActionPlan(city_id=other_event.city.id, title="Subang plan")
    db.session.add(plan)
    db.session.flush()
    action = Action(
        plan_id=plan.id, title="Subang action", kind="pilot", published_at=now
    )
    db.session.add(action)
    db.session.commit()
    return action
