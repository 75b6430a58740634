"""The rules of editing a plan (services, both databases): who may edit,
every validation rule, publishing, ordering, deleting, the input prefill."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from consult.actions.models import Action, ActionUpdate, Milestone
from consult.actions.services.choices import eligible_input
from consult.actions.services.editing import (
    PlanData,
    check_action,
    create_action,
    delete_action,
    deletion_plan,
    draft_from_input,
    move_action,
    set_published,
    start_plan,
    update_action,
    update_plan,
)
from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.extensions import db
from tests.actions.conftest import challenges_of, inputs_of
from tests.factories import create_user


def _fields(exc) -> dict:
    return {field: message for field, message in exc.value.problems}


@pytest.mark.parametrize("who", ["organiser", "admin", "co_organiser", "rep"])
def test_editors_may_start_and_edit_the_plan(who, city, organiser, rep, now):
    from consult.events.services.organisers import add_co_organiser

    actor = {
        "organiser": lambda: organiser,
        "admin": lambda: create_user("boss@example.org", role="admin"),
        "co_organiser": lambda: (
            add_co_organiser(
                rep.event, organiser, create_user("co@example.org").email, now=now
            ).user
        ),
        "rep": lambda: rep,
    }[who]()
    plan = start_plan(city, actor, now=now)
    update_plan(plan, actor, PlanData("PJ plan", "We *act*."), now=now)
    db.session.commit()
    assert (plan.title, plan.introduction_md) == ("PJ plan", "We *act*.")
    assert plan.created_by_id == (None if who == "rep" else actor.id)


def test_outsiders_may_not_edit(city, plan, other_organiser, other_event, rep, now):
    rep.revoked_at = now
    participant = create_user("someone@example.org", role="facilitator")
    for actor in (other_organiser, rep, participant, None):
        with pytest.raises(PermissionDenied):
            start_plan(city, actor, now=now)
        with pytest.raises(PermissionDenied):
            update_plan(plan, actor, PlanData("Taken", ""), now=now)
    # The other organiser edits their own city's plan.
    assert start_plan(other_event.city, other_organiser, now=now).title == (
        "Subang Jaya local action plan"
    )


def test_one_plan_per_city_with_the_default_title(city, organiser, now):
    plan = start_plan(city, organiser, now=now)
    assert plan.title == "Petaling Jaya local action plan"
    with pytest.raises(Conflict):
        start_plan(city, organiser, now=now)


def test_the_plan_needs_a_title_and_bounded_texts(plan, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        update_plan(plan, organiser, PlanData("", "x" * 10001), now=now)
    assert set(_fields(refused)) == {"title", "introduction"}


def test_an_action_is_created_with_its_links(plan, organiser, action_data, now):
    action = create_action(plan, organiser, action_data(), now=now)
    db.session.commit()
    assert [c.title for c in action.challenges] == ["Food and organic waste"]
    assert [i.title for i in action.inputs] == ["Compost hubs at wet markets"]
    assert action.partners == "Ljubljana (Slovenia)\nZero Waste Malaysia"
    assert (action.status, action.progress, action.published_at) == (
        "planned",
        0,
        None,
    )
    second = create_action(plan, organiser, action_data(title="Second"), now=now)
    assert second.position == action.position + 1


def test_every_problem_of_an_action_is_reported_at_once(
    plan, organiser, action_data, city_event, other_event, now
):
    old = challenges_of(city_event)[2]  # archived
    foreign_input = inputs_of(other_event)[0]
    data = action_data(
        title="x" * 201,
        kind="wish",
        status="finished",
        progress=101,
        challenge_ids=[old.id],
        input_ids=[foreign_input.id],
        partners="y" * 201,
        budget_amount=Decimal("-1"),
        budget_currency="EURO",
        funding_source="z" * 201,
        start_on=now.date(),
        end_on=now.date() - timedelta(days=1),
        lead_organisation="w" * 201,
    )
    with pytest.raises(ValidationFailed) as refused:
        create_action(plan, organiser, data, now=now)
    assert set(_fields(refused)) == {
        "title",
        "kind",
        "status",
        "progress",
        "challenge_ids",
        "input_ids",
        "partners",
        "budget_amount",
        "budget_currency",
        "funding_source",
        "end_on",
        "lead_organisation",
    }
    assert db.session.query(Action).count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "This field is required."),
        ({"progress": -1}, "progress", "from 0 to 100"),
        ({"progress": None}, "progress", "from 0 to 100"),
        ({"budget_amount": Decimal("10.555"), "budget_currency": "MYR"},
         "budget_amount", "two decimals"),
        ({"budget_amount": Decimal("NaN"), "budget_currency": "MYR"},
         "budget_amount", "from 0"),
        ({"budget_amount": Decimal("1E+13"), "budget_currency": "MYR"},
         "budget_amount", "from 0"),
        ({"budget_amount": Decimal("100")}, "budget_currency", "currency"),
        ({"budget_currency": "XQZ"}, "budget_currency", "three letters"),
        ({"start_on": (lambda d: d.replace(year=9999))}, "start_on", "between 2000"),
        ({"end_on": (lambda d: d.replace(year=1999))}, "end_on", "between 2000"),
        ({"partners": "\n".join(f"P{n}" for n in range(51))}, "partners", "50"),
        ({"description": "bad\x00text"}, "description", "control characters"),
    ],
)  # fmt: skip
def test_each_action_rule(plan, organiser, action_data, now, fields, field, message):
    fields = {k: v(now.date()) if callable(v) else v for k, v in fields.items()}
    with pytest.raises(ValidationFailed) as refused:
        check_action(plan.city, action_data(**fields), now=now)
    assert message in _fields(refused)[field]


def test_inputs_must_be_selected_and_not_hidden(plan, city_event, action_data, now):
    rows = {i.title: i for i in inputs_of(city_event)}
    for title in ("Not selected", "Hidden one"):
        with pytest.raises(ValidationFailed) as refused:
            check_action(plan.city, action_data(input_ids=[rows[title].id]), now=now)
        assert "input_ids" in _fields(refused)


def test_amounts_and_currencies_are_normalised(plan, organiser, action_data, now):
    action = create_action(
        plan,
        organiser,
        action_data(budget_amount=Decimal("25000.5"), budget_currency=" myr "),
        now=now,
    )
    assert (action.budget_amount, action.budget_currency) == (
        Decimal("25000.50"),
        "MYR",
    )


def test_done_means_a_hundred_percent(plan, organiser, action_data, now):
    action = create_action(
        plan, organiser, action_data(status="done", progress=40), now=now
    )
    assert action.progress == 100
    update_action(
        action, organiser, action_data(status="delayed", progress=60), now=now
    )
    assert (action.status, action.progress) == ("delayed", 60)


def test_an_action_keeps_an_input_unselected_since(plan, organiser, action_data, now):
    action = create_action(plan, organiser, action_data(), now=now)
    action.inputs[0].selected_for_plan = False
    update_action(action, organiser, action_data(title="Kept"), now=now)
    assert action.title == "Kept" and len(action.inputs) == 1


def test_order_publish_and_delete(plan, organiser, action_data, rep, now):
    first = create_action(plan, organiser, action_data(title="First"), now=now)
    second = create_action(plan, organiser, action_data(title="Second"), now=now)
    move_action(second, rep, -1, now=now)
    db.session.refresh(plan)
    assert [a.title for a in plan.actions] == ["Second", "First"]
    move_action(second, rep, -1, now=now)  # already first: nothing moves
    db.session.refresh(plan)
    assert [a.title for a in plan.actions] == ["Second", "First"]

    set_published(first, rep, True, now=now)
    assert first.published_at == now
    set_published(first, rep, True, now=now + timedelta(hours=1))
    assert first.published_at == now  # publishing again keeps the date
    set_published(first, organiser, False, now=now)
    assert first.published_at is None

    db.session.add(Milestone(action_id=first.id, title="M", due_on=now.date()))
    db.session.add(ActionUpdate(action_id=first.id, posted_on=now.date(), body="u"))
    db.session.flush()
    db.session.refresh(first)
    gone = deletion_plan(first)
    assert (gone.milestones, gone.updates) == (1, 1)
    delete_action(first, organiser, now=now)
    db.session.commit()
    assert db.session.query(Milestone).count() == 0
    assert db.session.query(ActionUpdate).count() == 0
    assert [a.title for a in plan.actions] == ["Second"]


def test_outsiders_may_not_change_actions(
    plan, organiser, other_organiser, action_data, now
):
    action = create_action(plan, organiser, action_data(), now=now)
    calls = [
        lambda: create_action(plan, other_organiser, action_data(), now=now),
        lambda: update_action(action, other_organiser, action_data(), now=now),
        lambda: move_action(action, other_organiser, 1, now=now),
        lambda: set_published(action, other_organiser, True, now=now),
        lambda: delete_action(action, other_organiser, now=now),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_an_input_prefills_an_action(city, city_event):
    compost, refill = inputs_of(city_event)[:2]
    draft = draft_from_input(city, eligible_input(city, compost.id))
    assert (draft.title, draft.kind, draft.lead_organisation, draft.partners) == (
        "Compost hubs at wet markets",
        "pilot",
        "MBPJ",
        "Ljubljana",
    )
    assert draft.challenge_ids == [compost.challenge_id]
    assert draft.input_ids == [compost.id]
    assert draft_from_input(city, refill).kind == "pilot"  # a best practice
    hidden = inputs_of(city_event, title="Hidden one")[0]
    assert eligible_input(city, hidden.id) is None
