"""Authors read times in their own zone: an expert in Berlin sees Berlin time."""

from __future__ import annotations

from consult.challenges.services import expert_token, settings_for
from consult.challenges.services.common import Author
from consult.extensions import db
from consult.registration.services import manage_token
from consult.timeutil import format_datetime


def test_an_expert_in_germany_reads_berlin_time(client, ch_event, make_expert):
    expert = make_expert(ch_event)
    expert.country = "DE"
    db.session.commit()
    closes = settings_for(ch_event).closes_at
    html = client.get(
        f"/events/{ch_event.slug}/expert/{expert_token(expert)}/inputs"
    ).get_data(as_text=True)
    assert format_datetime(closes, "Europe/Berlin") in html
    assert "Kuala Lumpur time" not in html


def test_an_expert_gives_a_zone_on_the_profile(client, ch_event, make_expert):
    expert = make_expert(ch_event, status="invited")
    link = f"/events/{ch_event.slug}/expert/{expert_token(expert)}"
    page = client.get(link).get_data(as_text=True)
    assert 'list="timezone-zones"' in page and "data-browser-zone" in page
    response = client.post(
        link,
        data={"name": "Dr. Eva Lindqvist", "country": "SE",
              "timezone": "Europe/Berlin", "expertise": "Reuse"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert expert.timezone == "Europe/Berlin"
    html = client.get(link + "/inputs").get_data(as_text=True)
    closes = settings_for(ch_event).closes_at
    assert format_datetime(closes, "Europe/Berlin") in html


def test_an_unknown_profile_zone_is_refused_next_to_the_field(
    client, ch_event, make_expert
):
    expert = make_expert(ch_event, status="invited")
    link = f"/events/{ch_event.slug}/expert/{expert_token(expert)}"
    response = client.post(link, data={"name": "Eva", "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert expert.timezone == "" and expert.status == "invited"


def test_a_registrant_reads_their_own_zone(
    client, ch_event, make_registration, make_input
):
    reg = make_registration(ch_event, timezone="Europe/Berlin")
    item = make_input(ch_event, registration=reg)
    html = client.get(
        f"/events/{ch_event.slug}/registration/{manage_token(reg)}/inputs"
    ).get_data(as_text=True)
    assert format_datetime(item.created_at, "Europe/Berlin") in html
    assert "Kuala Lumpur time" not in html


def test_zone_falls_back_on_the_country_then_the_event(ch_event, make_expert):
    expert = make_expert(ch_event)
    assert Author(expert=expert).zone(ch_event) == "Asia/Kuala_Lumpur"
    expert.country = "PL"
    assert Author(expert=expert).zone(ch_event) == "Europe/Warsaw"
    expert.timezone = "Europe/Lisbon"
    assert Author(expert=expert).zone(ch_event) == "Europe/Lisbon"
