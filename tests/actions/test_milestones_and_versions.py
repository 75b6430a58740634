"""Milestones on the city's calendar, and numbered versions of the plan
(the concurrent adoption runs on PostgreSQL with real connections)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.actions.models import ActionPlan, Milestone, PlanVersion
from consult.actions.services.editing import create_action, set_published
from consult.actions.services.milestones import (
    MilestoneData,
    add_milestone,
    delete_milestone,
    is_overdue,
    mark_done,
    next_milestone,
    reopen,
    update_milestone,
)
from consult.actions.services.versions import adopt_version
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from tests.registration.test_concurrency import run_together


@pytest.fixture
def action(plan, organiser, action_data, now):
    action = create_action(plan, organiser, action_data(), now=now)
    db.session.commit()
    return action


def test_milestones_are_added_edited_reopened_and_deleted(action, rep, now):
    today = now.date()
    later = add_milestone(
        action, rep, MilestoneData("Hubs open", today + timedelta(9)), now=now
    )
    sooner = add_milestone(
        action, rep, MilestoneData("Sites chosen", today + timedelta(3)), now=now
    )
    db.session.commit()
    assert [m.title for m in action.milestones] == ["Sites chosen", "Hubs open"]
    assert next_milestone(action) == sooner
    mark_done(sooner, rep, today, now=now)
    assert next_milestone(action) == later
    reopen(sooner, rep, now=now)
    assert sooner.done_on is None
    update_milestone(
        later, rep, MilestoneData("Hubs opened", today + timedelta(1)), now=now
    )
    assert (later.title, later.due_on) == ("Hubs opened", today + timedelta(1))
    delete_milestone(later, rep, now=now)
    db.session.commit()
    assert db.session.scalars(select(Milestone.title)).all() == ["Sites chosen"]


def test_every_milestone_problem_at_once(action, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        add_milestone(action, organiser, MilestoneData("x" * 201, None), now=now)
    assert {f for f, _m in refused.value.problems} == {"title", "due_on"}
    for due in (now.date().replace(year=9999), now.date().replace(year=1999)):
        with pytest.raises(ValidationFailed) as refused:
            add_milestone(action, organiser, MilestoneData("Late", due), now=now)
        assert "between 2000" in refused.value.message


def test_done_no_later_than_today_on_the_citys_calendar(action, organiser, now):
    # 20:00 UTC is already tomorrow in Kiritimati (UTC+14).
    evening = datetime.combine(now.date(), datetime.min.time(), UTC) + timedelta(
        hours=20
    )
    tomorrow = evening.date() + timedelta(days=1)
    milestone = add_milestone(
        action, organiser, MilestoneData("Sites", tomorrow), now=evening
    )
    city = action.plan.city
    city.timezone = "UTC"
    with pytest.raises(ValidationFailed) as refused:
        mark_done(milestone, organiser, tomorrow, now=evening)
    assert refused.value.field == "done_on"
    city.timezone = "Pacific/Kiritimati"
    mark_done(milestone, organiser, tomorrow, now=evening)
    assert milestone.done_on == tomorrow
    with pytest.raises(ValidationFailed):
        mark_done(milestone, organiser, None, now=evening)


def test_overdue_is_judged_on_the_citys_date(action, organiser, now):
    milestone = add_milestone(
        action, organiser, MilestoneData("Sites", now.date()), now=now
    )
    assert not is_overdue(action, now.date())
    assert is_overdue(action, now.date() + timedelta(days=1))
    mark_done(milestone, organiser, now.date(), now=now)
    assert not is_overdue(action, now.date() + timedelta(days=1))


def test_outsiders_may_not_touch_milestones(
    action, organiser, other_organiser, rep, now
):
    milestone = add_milestone(
        action, organiser, MilestoneData("Sites", now.date()), now=now
    )
    rep.revoked_at = now
    for actor in (other_organiser, rep):
        data = MilestoneData("X", now.date())
        for call, args in (
            (add_milestone, (action, actor, data)),
            (update_milestone, (milestone, actor, data)),
            (mark_done, (milestone, actor, now.date())),
            (reopen, (milestone, actor)),
            (delete_milestone, (milestone, actor)),
        ):
            with pytest.raises(PermissionDenied):
                call(*args, now=now)


def test_versions_keep_the_published_actions_as_they_were(
    action, plan, organiser, rep, action_data, now
):
    with pytest.raises(ValidationFailed) as refused:
        adopt_version(plan, organiser, "", now=now)
    assert "Publish at least one action" in refused.value.message
    add_milestone(action, organiser, MilestoneData("Sites", now.date()), now=now)
    create_action(plan, organiser, action_data(title="Draft only"), now=now)
    set_published(action, organiser, True, now=now)
    first = adopt_version(plan, organiser, "Council, 3 March", now=now)
    action.status, action.progress = "in_progress", 30
    second = adopt_version(plan, rep, "", now=now)
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert first.note == "Council, 3 March"
    [kept] = first.snapshot["actions"]
    assert kept == {
        "title": "Compost hubs pilot",
        "kind": "pilot",
        "status": "planned",
        "progress": 0,
        "start_on": None,
        "end_on": None,
        "challenges": ["Food and organic waste"],
        "milestones": [
            {"title": "Sites", "due_on": now.date().isoformat(), "done_on": None}
        ],
    }
    assert second.snapshot["actions"][0]["status"] == "in_progress"
    assert (first.published_by_id, second.published_by_id) == (organiser.id, None)
    assert second.snapshot["adopted_by"] == "Lim Mei Ling"
    with pytest.raises(PermissionDenied):
        adopt_version(plan, rep.__class__(), "", now=now)


def test_concurrent_adoptions_take_one_and_two(
    app, backend, action, plan, organiser, now
):
    if backend != "postgresql":
        pytest.skip("real concurrency: PostgreSQL")
    set_published(action, organiser, True, now=now)
    plan_id, organiser_id = plan.id, organiser.id

    def adopt():
        from consult.auth.models import User

        row = db.session.get(ActionPlan, plan_id)
        return adopt_version(
            row, db.session.get(User, organiser_id), "", now=now
        ).number

    numbers, errors = run_together(app, [adopt, adopt])
    assert errors == []
    assert sorted(numbers) == [1, 2]
    stored = db.session.scalars(
        select(PlanVersion.number).where(PlanVersion.plan_id == plan_id)
    ).all()
    assert sorted(stored) == [1, 2]
