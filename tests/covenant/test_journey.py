"""Journey from pages only (issue 24, item 2): an empty database and an
organiser account. The organiser creates and publishes an event hosted by
Petaling Jaya, starts the city's action plan and adds and publishes an
action, then opens the city's public page, follows its link to the Covenant
of Mayors commitments, adds a mitigation commitment served by that action,
and finds it on the public page, action and all; a visitor sees the same."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.actions.models import Action
from consult.covenant.models import CovenantCommitment
from tests.clock import day, field
from tests.effects import committed
from tests.events.test_manage_pages import FORM as EVENT_FORM
from tests.html_forms import browser_form

SLUG = "circular-design-clinic"
CITY = "/cities/petaling-jaya"


def _link(html: str, text: str) -> str:
    return re.search(rf'href="([^"]+)"[^>]*>{re.escape(text)}</a>', html).group(1)


def _event_and_action(client) -> Action:
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    assert client.post(f"/manage/events/{SLUG}/publish").status_code == 302
    plan = "/manage/cities/petaling-jaya/plan"
    action_url, fields = browser_form(client.get(plan).get_data(as_text=True), "/start")
    assert client.post(action_url, data=fields).status_code == 302
    page = client.get(f"{plan}/actions/new").get_data(as_text=True)
    action_url, fields = browser_form(page, "/plan/actions/new")
    fields.update(title="Solar rooftops on council buildings", kind="investment")
    fields.update(progress="0")
    assert client.post(action_url, data=fields).status_code == 302
    action = committed().scalar(select(Action))
    published = client.post(f"{plan}/actions/{action.id}/publish")
    assert published.status_code == 302
    return action


def test_an_organiser_adds_a_commitment_and_sees_it_on_the_city_page(
    client, login, organiser
):
    login(organiser)
    action = _event_and_action(client)

    city_page = client.get(CITY).get_data(as_text=True)
    assert "Circular Design Clinic" in city_page
    assert "Covenant of Mayors</h2>" not in city_page  # nothing committed yet
    covenant = client.get(
        _link(city_page, "Edit the Covenant of Mayors commitments")
    ).get_data(as_text=True)
    form_page = client.get(_link(covenant, "Add a commitment")).get_data(as_text=True)
    assert "Solar rooftops on council buildings" in form_page
    action_url, fields = browser_form(form_page, "/covenant/new")
    fields.update(
        pillar="mitigation",
        title="Cut emissions by 40% by 2030",
        target="40% fewer CO2 emissions than in 2015",
        reduction_percent="40",
        base_year="2015",
        target_year="2030",
        status="adopted",
        status_on=field(day(-4)),
        description="Adopted by the full council.",
        action_ids=[str(action.id)],
    )
    added = client.post(action_url, data=fields)
    assert added.status_code == 302
    listed = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "The commitment is added." in listed
    stored = committed().scalar(select(CovenantCommitment))
    assert (stored.pillar, stored.reduction_percent, stored.target_year) == (
        "mitigation",
        40,
        2030,
    )

    visitor = client.application.test_client()
    for reader in (client, visitor):
        html = reader.get(CITY).get_data(as_text=True)
        section = html.split('id="covenant"', 1)[1]
        assert "<h3>Mitigation</h3>" in section
        assert "Cut emissions by 40% by 2030" in section
        assert "Adopted" in section
        assert "Solar rooftops on council buildings" in section
    assert "Edit the Covenant of Mayors commitments" not in html  # the visitor's
