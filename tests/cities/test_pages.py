"""The public city page through HTTP: what a visitor reads, and what never shows."""

from __future__ import annotations

from consult.cities.services import city_for_host
from consult.extensions import db
from tests.actions.conftest import SECRET_TITLE
from tests.cities.conftest import SECRET
from tests.factories import create_reg_event


def _page(client, city):
    response = client.get(f"/cities/{city.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_city_page_shows_its_consultations_challenges_and_commitments(
    client, city_world
):
    html = _page(client, city_world.city)
    assert "<h1>Petaling Jaya</h1>" in html
    # Consultations, newest first, linked.
    consultation = f'href="/events/{city_world.consultation.slug}"'
    scoping = f'href="/events/{city_world.scoping.slug}"'
    assert consultation in html and scoping in html
    assert html.index(consultation) < html.index(scoping)
    # A carried challenge is one block named after its latest title, with a
    # column per event.
    assert html.count("<h3>Food and organic waste</h3>") == 1
    assert "<h3>Food waste (scoping)</h3>" not in html
    assert "Other groups (combined)" in html
    assert "rank 3" in html and "rank 1" in html
    # Partner cities, library, plan and Covenant.
    for text in ("Utrecht", "Warsaw", "Lyon", "Composting guide"):
        assert text in html
    assert f'href="/cities/{city_world.city.slug}/plan"' in html
    assert "2 published actions" in html
    assert "Cut emissions by 40%" in html
    assert "Community composting pilot" in html
    assert "Flood-ready neighbourhoods" in html


def test_the_page_never_shows_drafts_or_unpublished_actions(client, city_world):
    html = _page(client, city_world.city)
    assert SECRET not in html
    assert SECRET_TITLE not in html


def test_the_small_groups_are_not_named(client, city_world):
    html = _page(client, city_world.city)
    assert "Research" not in html
    assert "Civil society" not in html


def test_an_unknown_city_is_404(client, app):
    assert client.get("/cities/atlantis").status_code == 404


def test_a_city_with_only_a_draft_event_shows_its_name_only(client, organiser, now):
    city = city_for_host("Shah Alam", "Malaysia", "Asia/Kuala_Lumpur", now=now)
    event = create_reg_event(organiser, now, publish=False, title=f"{SECRET} event")
    event.host_city, event.host_city_id = city.name, city.id
    db.session.commit()
    html = _page(client, city)
    assert "Shah Alam" in html
    assert SECRET not in html
    assert "No consultation of Shah Alam is public yet." in html
