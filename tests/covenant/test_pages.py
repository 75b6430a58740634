"""The Covenant editing pages through HTTP, and the commitments on the city page."""

from __future__ import annotations

from sqlalchemy import select

from consult.covenant.models import CovenantCommitment
from consult.covenant.services.editing import create_commitment
from consult.extensions import db
from tests.clock import day, field
from tests.effects import committed

FORM = {
    "pillar": "adaptation",
    "title": "Flood-ready neighbourhoods",
    "target": "Every flood-prone neighbourhood with a plan by 2030",
    "reduction_percent": "",
    "base_year": "2020",
    "target_year": "2030",
    "status": "planned",
    "status_on": field(day(-23)),
    "description": "Drains, retention ponds and early warnings.",
}


def _base(world) -> str:
    return f"/manage/cities/{world.city.slug}/covenant"


def test_the_list_links_each_commitment(
    client, login, organiser, plan_world, data, now
):
    made = create_commitment(plan_world.city, organiser, data(), now=now)
    db.session.commit()
    login(organiser)
    html = client.get(_base(plan_world)).get_data(as_text=True)
    assert "Covenant of Mayors commitments of Petaling Jaya" in html
    assert f'href="{_base(plan_world)}/{made.id}">Cut emissions by 40%</a>' in html
    assert f'href="{_base(plan_world)}/{made.id}/delete"' in html


def test_the_form_offers_the_citys_actions_only(
    client, login, organiser, plan_world, foreign_action
):
    login(organiser)
    html = client.get(f"{_base(plan_world)}/new").get_data(as_text=True)
    assert "Hawker centre food-waste pilot" in html
    assert "Secret draft action" in html  # may serve it; the city page hides it
    assert "Subang action" not in html


def test_bad_input_is_refused_beside_its_field_and_kept(
    client, login, organiser, plan_world
):
    login(organiser)
    sent = {
        **FORM,
        "base_year": "2031",
        "target_year": "2030",
        "reduction_percent": "140",
    }
    response = client.post(f"{_base(plan_world)}/new", data=sent)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="reduction_percent-error"' in html
    assert "Enter a whole number from 0 to 100." in html
    assert 'id="target_year-error"' in html
    assert "The target year cannot be before the base year." in html
    # What was typed stays in the form.
    assert 'value="Flood-ready neighbourhoods"' in html
    assert "Drains, retention ponds and early warnings." in html
    assert committed().scalar(select(CovenantCommitment.id)) is None


def test_a_foreign_action_id_is_refused(
    client, login, organiser, plan_world, foreign_action
):
    login(organiser)
    response = client.post(
        f"{_base(plan_world)}/new", data={**FORM, "action_ids": [foreign_action.id]}
    )
    assert response.status_code == 422
    assert 'id="action_ids-error"' in response.get_data(as_text=True)
    assert committed().scalar(select(CovenantCommitment.id)) is None


def test_another_citys_organiser_is_refused_and_changes_nothing(
    client, login, organiser, other_organiser, plan_world, other_event, data, now
):
    made = create_commitment(plan_world.city, organiser, data(), now=now)
    db.session.commit()
    login(other_organiser)
    base = _base(plan_world)
    for url in (base, f"{base}/new", f"{base}/{made.id}", f"{base}/{made.id}/delete"):
        assert client.get(url).status_code == 403
    assert client.post(f"{base}/new", data=FORM).status_code == 403
    assert client.post(f"{base}/{made.id}", data=FORM).status_code == 403
    assert client.post(f"{base}/{made.id}/delete").status_code == 403
    rows = committed().scalars(select(CovenantCommitment)).all()
    assert [(c.id, c.title) for c in rows] == [(made.id, "Cut emissions by 40%")]


def test_another_citys_commitment_is_404_under_this_city(
    client, login, organiser, other_organiser, plan_world, other_event, data, now
):
    theirs = create_commitment(
        other_event.city, other_organiser, data(action_ids=[]), now=now
    )
    db.session.commit()
    login(organiser)
    base = _base(plan_world)
    assert client.get(f"{base}/{theirs.id}").status_code == 404
    assert client.post(f"{base}/{theirs.id}/delete").status_code == 404
    assert committed().get(CovenantCommitment, theirs.id) is not None


def test_anonymous_visitors_are_sent_to_log_in(client, plan_world):
    response = client.get(_base(plan_world))
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_city_page_shows_published_serving_actions_only(
    client, organiser, plan_world, data, now
):
    create_commitment(
        plan_world.city,
        organiser,
        data(action_ids=[plan_world.food.id, plan_world.draft.id]),
        now=now,
    )
    db.session.commit()
    html = client.get(f"/cities/{plan_world.city.slug}").get_data(as_text=True)
    assert "Covenant of Mayors" in html
    assert "<h3>Mitigation</h3>" in html
    assert "Cut emissions by 40%" in html
    assert "Adopted" in html
    assert "Hawker centre food-waste pilot" in html
    assert "Secret draft action" not in html
