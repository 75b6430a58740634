"""The commitment services: checks, links to the city's own actions, who may edit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.actions.services.editing import delete_action
from consult.covenant.models import CovenantAction, CovenantCommitment
from consult.covenant.services.editing import (
    commitments_of,
    create_commitment,
    delete_commitment,
    update_commitment,
)
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from tests.clock import day


def _problems(exc) -> dict:
    return dict(exc.value.problems)


def test_an_editor_adds_a_commitment_with_the_actions_serving_it(
    plan_world, organiser, data, now
):
    made = create_commitment(plan_world.city, organiser, data(), now=now)
    db.session.commit()
    stored = db.session.get(CovenantCommitment, made.id)
    assert (stored.pillar, stored.reduction_percent) == ("mitigation", 40)
    assert (stored.base_year, stored.target_year, stored.status) == (
        2015,
        2030,
        "adopted",
    )
    assert stored.actions == [plan_world.food]
    assert commitments_of(plan_world.city) == [stored]


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    plan_world, organiser, data, now
):
    with pytest.raises(ValidationFailed) as exc:
        create_commitment(
            plan_world.city,
            organiser,
            data(
                pillar="oceans",
                title=" ",
                reduction_percent=101,
                base_year=1989,
                target_year=2101,
                status="forgotten",
                status_on=None,
            ),
            now=now,
        )
    assert set(_problems(exc)) == {
        "pillar",
        "title",
        "reduction_percent",
        "base_year",
        "target_year",
        "status",
        "status_on",
    }
    db.session.rollback()
    assert db.session.scalar(select(CovenantCommitment.id)) is None


def test_the_target_year_cannot_come_before_the_base_year(
    plan_world, organiser, data, now
):
    with pytest.raises(ValidationFailed) as exc:
        create_commitment(
            plan_world.city, organiser, data(base_year=2030, target_year=2020), now=now
        )
    assert _problems(exc) == {
        "target_year": "The target year cannot be before the base year."
    }
    # The same year is fine (a one-year target).
    create_commitment(
        plan_world.city, organiser, data(base_year=2030, target_year=2030), now=now
    )


def test_the_schema_refuses_years_out_of_order_too(plan_world, now):
    db.session.add(
        CovenantCommitment(
            city_id=plan_world.city.id,
            pillar="mitigation",
            title="Backwards",
            base_year=2030,
            target_year=2020,
            status="planned",
            status_on=day(-300),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_status_date_out_of_range_is_refused(plan_world, organiser, data, now):
    with pytest.raises(ValidationFailed) as exc:
        create_commitment(
            plan_world.city, organiser, data(status_on=date(1900, 1, 1)), now=now
        )
    assert set(_problems(exc)) == {"status_on"}


def test_only_actions_of_the_citys_own_plan_may_serve_it(
    plan_world, organiser, data, foreign_action, now
):
    with pytest.raises(ValidationFailed) as exc:
        create_commitment(
            plan_world.city,
            organiser,
            data(action_ids=[plan_world.food.id, foreign_action.id]),
            now=now,
        )
    assert set(_problems(exc)) == {"action_ids"}
    db.session.rollback()
    assert db.session.scalar(select(CovenantAction.action_id)) is None


def test_an_unpublished_action_may_serve_it(plan_world, organiser, data, now):
    made = create_commitment(
        plan_world.city, organiser, data(action_ids=[plan_world.draft.id]), now=now
    )
    assert made.actions == [plan_world.draft]


def test_editing_replaces_the_serving_actions(plan_world, organiser, data, now):
    made = create_commitment(plan_world.city, organiser, data(), now=now)
    update_commitment(
        made,
        organiser,
        data(
            pillar="energy_access",
            title="Solar on every school",
            action_ids=[plan_world.plastics.id, plan_world.draft.id],
        ),
        now=now,
    )
    db.session.commit()
    stored = db.session.get(CovenantCommitment, made.id)
    assert (stored.pillar, stored.title) == ("energy_access", "Solar on every school")
    assert stored.actions == [plan_world.plastics, plan_world.draft]


def test_deleting_takes_its_links_but_not_the_actions(plan_world, organiser, data, now):
    made = create_commitment(plan_world.city, organiser, data(), now=now)
    db.session.commit()
    delete_commitment(made, organiser)
    db.session.commit()
    assert db.session.scalar(select(CovenantCommitment.id)) is None
    assert db.session.scalar(select(CovenantAction.action_id)) is None
    assert plan_world.food.title == "Hawker centre food-waste pilot"


def test_another_citys_editor_is_refused(
    plan_world, other_organiser, data, other_event, now
):
    with pytest.raises(PermissionDenied):
        create_commitment(plan_world.city, other_organiser, data(), now=now)
    db.session.rollback()
    assert db.session.scalar(select(CovenantCommitment.id)) is None


def test_an_admin_may_edit_any_city(plan_world, admin, data, now):
    made = create_commitment(plan_world.city, admin, data(), now=now)
    assert made.city_id == plan_world.city.id


def test_deleting_a_serving_action_takes_only_its_link(
    plan_world, organiser, data, now
):
    made = create_commitment(
        plan_world.city,
        organiser,
        data(action_ids=[plan_world.food.id, plan_world.plastics.id]),
        now=now,
    )
    db.session.commit()
    delete_action(plan_world.food, organiser, now=now)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(CovenantCommitment, made.id)
    assert [a.title for a in stored.actions] == ["Refill shop policy"]
