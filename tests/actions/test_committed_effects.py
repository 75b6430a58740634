"""Every plan-editing route commits what it did (tests/test_route_effects.py):
once through the organisers' door, once through the representative's."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from consult.actions.models import Action, ActionPlan, Milestone, PlanVersion
from consult.contributions.services.city import representative_token
from tests.actions.conftest import challenges_of, inputs_of
from tests.effects import committed, committed_row


def _edit_everything(client, base: str, event, today) -> None:
    """Start, write, order, publish, milestones, versions, delete: through
    the pages under ``base``, each effect read back as committed."""
    assert client.post(f"{base}/start").status_code == 302
    plan = committed().scalar(select(ActionPlan))
    assert plan.title == "Petaling Jaya local action plan"

    saved = client.post(base, data={"title": "PJ plan", "introduction": "Intro."})
    assert saved.status_code == 302
    assert committed_row(ActionPlan, plan.id).introduction_md == "Intro."

    form = {
        "title": "Compost hubs",
        "kind": "pilot",
        "status": "planned",
        "progress": "0",
        "challenge_ids": [str(challenges_of(event)[0].id)],
        "input_ids": [str(inputs_of(event)[0].id)],
    }
    for title in ("Compost hubs", "Refill shops"):
        assert (
            client.post(
                f"{base}/actions/new", data={**form, "title": title}
            ).status_code
            == 302
        )
    first, second = committed().scalars(select(Action).order_by(Action.id)).all()
    edited = client.post(
        f"{base}/actions/{first.id}", data={**form, "status": "done", "progress": "50"}
    )
    assert edited.status_code == 302
    assert (
        committed_row(Action, first.id).status,
        committed_row(Action, first.id).progress,
    ) == ("done", 100)

    assert client.post(f"{base}/actions/{second.id}/up").status_code == 302
    assert (
        committed_row(Action, second.id).position
        < committed_row(Action, first.id).position
    )
    assert client.post(f"{base}/actions/{first.id}/publish").status_code == 302
    assert committed_row(Action, first.id).published_at is not None
    assert client.post(f"{base}/actions/{second.id}/publish").status_code == 302
    assert client.post(f"{base}/actions/{second.id}/unpublish").status_code == 302
    assert committed_row(Action, second.id).published_at is None

    added = client.post(
        f"{base}/actions/{first.id}/milestones",
        data={"ms-title": "Sites chosen", "ms-due_on": today.isoformat()},
    )
    assert added.status_code == 302
    milestone = committed().scalar(select(Milestone))
    assert (milestone.title, milestone.due_on) == ("Sites chosen", today)
    ms = f"{base}/actions/{first.id}/milestones/{milestone.id}"
    later = today + timedelta(days=7)
    assert (
        client.post(
            ms, data={"title": "Sites agreed", "due_on": later.isoformat()}
        ).status_code
        == 302
    )
    assert committed_row(Milestone, milestone.id).due_on == later
    assert (
        client.post(f"{ms}/done", data={"done_on": today.isoformat()}).status_code
        == 302
    )
    assert committed_row(Milestone, milestone.id).done_on == today
    assert client.post(f"{ms}/reopen").status_code == 302
    assert committed_row(Milestone, milestone.id).done_on is None

    adopted = client.post(f"{base}/versions", data={"note": "Council"})
    assert adopted.status_code == 302
    version = committed().scalar(select(PlanVersion))
    assert (version.number, version.note) == (1, "Council")
    assert [a["title"] for a in version.snapshot["actions"]] == ["Compost hubs"]

    assert client.post(f"{ms}/delete").status_code == 302
    assert committed_row(Milestone, milestone.id) is None
    assert client.post(f"{base}/actions/{second.id}/delete").status_code == 302
    assert committed_row(Action, second.id) is None
    assert committed().scalar(select(func.count(Action.id))) == 1


def test_organiser_plan_editing_is_committed(
    client, login, organiser, city, city_event, now
):
    login(organiser)
    _edit_everything(client, f"/manage/cities/{city.slug}/plan", city_event, now.date())


def test_representative_plan_editing_is_committed(client, rep, city_event, now):
    base = f"/events/{city_event.slug}/city/{representative_token(rep)}/plan"
    _edit_everything(client, base, city_event, now.date())
    assert committed().scalar(select(ActionPlan.created_by_id)) is None
