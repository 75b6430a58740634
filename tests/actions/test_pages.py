"""The plan's pages over HTTP: who gets in, forms that refuse and keep what
was typed, the input prefill, and the entry points (event tab, report,
the representative's page)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from consult.actions.models import Action, ActionPlan
from consult.actions.services.editing import create_action, set_published
from consult.contributions.services.city import representative_token
from consult.extensions import db
from tests.actions.conftest import challenges_of, inputs_of
from tests.effects import committed


def _plan_url(city) -> str:
    return f"/manage/cities/{city.slug}/plan"


def _rep_url(rep) -> str:
    return f"/events/{rep.event.slug}/city/{representative_token(rep)}/plan"


def test_who_opens_the_plan_pages(
    client, login, city, organiser, other_organiser, rep, action_data, now
):
    url = _plan_url(city)
    assert "/auth/login" in client.get(url).headers["Location"]
    login(other_organiser)
    assert client.get(url).status_code == 404  # nothing public: not revealed
    assert client.get("/manage/cities/nowhere/plan").status_code == 404
    login(organiser)
    page = client.get(url)
    assert page.status_code == 200
    assert "Start the action plan" in page.get_data(as_text=True)
    assert client.get(_rep_url(rep)).status_code == 200

    # Once the plan shows an action in public, outsiders get a 403.
    plan = ActionPlan(city_id=city.id, title="PJ plan")
    db.session.add(plan)
    db.session.flush()
    action = create_action(plan, organiser, action_data(), now=now)
    set_published(action, organiser, True, now=now)
    db.session.commit()
    login(other_organiser)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/actions/{action.id}").status_code == 403

    rep_url = _rep_url(rep)
    rep.revoked_at = now
    db.session.commit()
    assert client.get(rep_url).status_code == 404


def test_another_citys_action_is_not_found_under_this_city(
    client, login, city, plan, organiser, other_event, other_organiser, action_data, now
):
    from consult.actions.services.editing import start_plan

    theirs = start_plan(other_event.city, other_organiser, now=now)
    foreign = create_action(
        theirs,
        other_organiser,
        action_data(challenge_ids=[], input_ids=[]),
        now=now,
    )
    db.session.commit()
    login(organiser)
    base = f"{_plan_url(city)}/actions/{foreign.id}"
    for method, path in [
        ("GET", base),
        ("POST", base),
        ("POST", base + "/publish"),
        ("GET", base + "/delete"),
        ("POST", base + "/delete"),
    ]:
        assert client.open(path, method=method, data={}).status_code == 404
    assert committed().get(Action, foreign.id).published_at is None


def test_a_refused_action_shows_every_problem_and_keeps_what_was_typed(
    client, login, city, plan, organiser, now
):
    start = (now.date() + timedelta(days=60)).isoformat()
    login(organiser)
    response = client.post(
        f"{_plan_url(city)}/actions/new",
        data={
            "title": "",
            "kind": "policy",
            "status": "planned",
            "progress": "140",
            "partners": "Ljubljana",
            "budget_amount": "12.345",
            "budget_currency": "",
            "start_on": start,
            "end_on": (now.date() + timedelta(days=30)).isoformat(),
            "lead_organisation": "MBPJ <kept>",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("title", "progress", "budget_amount", "budget_currency", "end_on"):
        assert f'id="{field}-error"' in html, field
    assert "There are 5 problems with this form" in html
    assert 'value="MBPJ &lt;kept&gt;"' in html
    assert f'value="{start}"' in html
    assert committed().scalar(select(Action)) is None


def test_an_action_is_added_through_its_form(
    client, login, city, city_event, plan, organiser, now
):
    food = challenges_of(city_event)[0]
    compost = inputs_of(city_event)[0]
    login(organiser)
    response = client.post(
        f"{_plan_url(city)}/actions/new",
        data={
            "title": "Compost hubs",
            "description": "Three *hubs*.",
            "kind": "pilot",
            "status": "in_progress",
            "progress": "25",
            "challenge_ids": [str(food.id)],
            "input_ids": [str(compost.id)],
            "partners": "Ljubljana (Slovenia)\n\nZero Waste Malaysia",
            "budget_amount": "25,000.50",
            "budget_currency": "myr",
            "start_on": (now.date() + timedelta(days=50)).isoformat(),
            "end_on": "",
        },
    )
    assert response.status_code == 302
    action = committed().scalar(select(Action))
    assert response.headers["Location"].endswith(f"/actions/{action.id}")
    assert (action.title, action.status, action.progress) == (
        "Compost hubs",
        "in_progress",
        25,
    )
    assert [c.id for c in action.challenges] == [food.id]
    assert [i.id for i in action.inputs] == [compost.id]
    assert action.partners == "Ljubljana (Slovenia)\nZero Waste Malaysia"
    assert (str(action.budget_amount), action.budget_currency) == ("25000.50", "MYR")
    assert action.start_on == now.date() + timedelta(days=50)
    assert action.end_on is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Compost hubs at wet markets" in page  # the input, linked back
    assert f"/challenges/inputs/{compost.id}" in page


def test_an_input_prefills_the_new_action(client, login, city, city_event, organiser):
    compost = inputs_of(city_event)[0]
    login(organiser)
    url = f"{_plan_url(city)}/actions/new?input={compost.id}"
    # No plan yet: the page offers to start it, then comes back to the input.
    first = client.get(url).get_data(as_text=True)
    assert "Start the action plan" in first
    assert f'name="input" value="{compost.id}"' in first
    started = client.post(f"{_plan_url(city)}/start", data={"input": compost.id})
    assert started.headers["Location"].endswith(f"/actions/new?input={compost.id}")
    assert committed().scalar(select(ActionPlan.title)) == (
        "Petaling Jaya local action plan"
    )
    html = client.get(url).get_data(as_text=True)
    assert 'value="Compost hubs at wet markets"' in html
    assert re.search(r'<option selected value="pilot">', html)
    assert re.search(
        rf'checked[^>]*value="{compost.id}"|value="{compost.id}"[^>]*checked', html
    )
    assert 'value="MBPJ"' in html
    assert "Budget range given in the input: €10,000 – €50,000" in html
    hidden = inputs_of(city_event, title="Hidden one")[0]
    assert (
        client.get(f"{_plan_url(city)}/actions/new?input={hidden.id}").status_code
        == 404
    )


def test_the_event_tab_leads_to_the_host_citys_plan(
    client, login, city_event, organiser, now
):
    login(organiser)
    tab = client.get(f"/manage/events/{city_event.slug}/plan")
    assert tab.headers["Location"].endswith("/manage/cities/petaling-jaya/plan")
    overview = client.get(f"/manage/events/{city_event.slug}/").get_data(as_text=True)
    assert f'href="/manage/events/{city_event.slug}/plan">Action plan</a>' in overview
    city_event.host_city_id = None
    db.session.commit()
    page = client.get(f"/manage/events/{city_event.slug}/plan")
    assert page.status_code == 200
    assert "This event has no host city, so it has no action plan." in page.get_data(
        as_text=True
    )


def test_the_report_offers_to_start_an_action_from_each_selected_input(
    client, login, city_event, organiser
):
    compost = inputs_of(city_event)[0]
    unselected = inputs_of(city_event, title="Not selected")[0]
    login(organiser)
    html = client.get(f"/manage/events/{city_event.slug}/report").get_data(as_text=True)
    link = f"/manage/cities/petaling-jaya/plan/actions/new?input={compost.id}"
    assert f'href="{link}">Start an action from this input</a>' in html
    assert f"new?input={unselected.id}" not in html


def test_the_representative_reaches_the_plan_from_their_page(client, rep, now):
    token = representative_token(rep)
    home = client.get(f"/events/{rep.event.slug}/city/{token}").get_data(as_text=True)
    assert f'href="/events/{rep.event.slug}/city/{token}/plan"' in home
    assert "Edit the action plan of Petaling Jaya" in home
    page = client.get(_rep_url(rep)).get_data(as_text=True)
    assert "Start the action plan" in page and "Your page" in page


def test_milestone_overdue_flag_on_the_plan_page(
    client, login, city, plan, organiser, action_data, now
):
    from consult.actions.services.milestones import MilestoneData, add_milestone

    action = create_action(plan, organiser, action_data(), now=now)
    add_milestone(
        action,
        organiser,
        MilestoneData("Sites chosen", now.date() - timedelta(days=2)),
        now=now - timedelta(days=5),
    )
    db.session.commit()
    login(organiser)
    html = client.get(_plan_url(city)).get_data(as_text=True)
    assert "Sites chosen" in html and "Overdue" in html and "Not published" in html
