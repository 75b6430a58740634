"""Issue 20, item 5: the participant pages stay light and work without JavaScript.

On the demo (seeded at the frozen clock): each participant page with every
stylesheet, script, font, icon and image it loads stays under 60 KB gzip
(bench/page_weight.py measures the same pages the same way), nothing on them
is hidden until a script runs, and their forms, submitted exactly as a
browser without JavaScript sends them (tests/html_forms.py reads the fields
and their defaults from the page), change what they should.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.challenges.services.priorities import ballot_of
from consult.demo import seed_demo
from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import Survey, SurveyResponse
from tests.html_forms import browser_form, hidden_without_script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import page_weight  # noqa: E402

PAGES = {"event", "registration", "manage", "challenges", "survey", "priorities"}


@pytest.fixture
def demo_pages(app, now) -> dict[str, str]:
    seed_demo(now=now)
    db.session.commit()
    with app.test_request_context():
        pages = dict(page_weight.participant_pages(now))
    assert set(pages) == PAGES
    return pages


def test_each_participant_page_with_its_assets_stays_under_60_kb_gzip(
    app, client, demo_pages
):
    for name, url in demo_pages.items():
        page = page_weight.weigh(client, name, url)
        kinds = {r.kind for r in page.resources}
        assert {"html", "css"} <= kinds, name
        for resource in page.resources:
            assert resource.status == 200, (name, resource.url)
            assert resource.raw > 0, (name, resource.url)  # nothing from another host
        assert page.gzip <= page_weight.BUDGET_BYTES, (name, page.gzip)
        assert not page.over_budget


def test_the_weight_counts_every_stylesheet_and_script_the_page_names(
    client, demo_pages
):
    page = page_weight.weigh(client, "priorities", demo_pages["priorities"])
    loaded = {r.url for r in page.resources}
    assert "/static/js/challenges.js" in loaded
    assert "/static/css/consult.css" in loaded
    html = page.resources[0]
    assert html.kind == "html" and html.gzip < html.raw
    assert page.gzip == sum(r.gzip for r in page.resources)


def test_no_participant_page_hides_content_until_a_script_runs(client, demo_pages):
    for name, url in demo_pages.items():
        html = client.get(url).get_data(as_text=True)
        assert "<noscript" not in html, name
        for element in hidden_without_script(html):
            # Only an empty slot a script fills (the points still to give) may
            # start hidden: no text and no field is out of reach without it.
            assert element["text"].strip() == "", (name, element)
            assert element["controls"] == 0, (name, element)


def _registrant(demo_pages) -> Registration:
    from consult.registration.services.tokens import registration_from_token

    return registration_from_token(demo_pages["manage"].rsplit("/", 1)[1])


def test_priorities_are_saved_from_the_form_without_javascript(client, demo_pages):
    registration = _registrant(demo_pages)
    html = client.get(demo_pages["priorities"]).get_data(as_text=True)
    action, fields = browser_form(html, "/priorities")
    boxes = sorted(k for k in fields if k.startswith("c-"))
    assert len(boxes) == 5
    for key in boxes:
        fields[key] = "0"
    fields[boxes[0]], fields[boxes[1]] = "7", "3"
    response = client.post(action, data=fields)
    assert response.status_code == 302
    db.session.expire_all()
    ballot = ballot_of(registration)
    first, second = (int(k.removeprefix("c-")) for k in boxes[:2])
    assert ballot[first] == 7 and ballot[second] == 3
    assert sum(ballot.values()) == 10


def test_a_survey_is_answered_from_the_form_without_javascript(client, demo_pages):
    from tests.surveys.test_demo_surveys_http import _form

    registration = _registrant(demo_pages)
    survey_id = int(demo_pages["survey"].split("/surveys/")[1].split("/")[0])
    survey = db.session.get(Survey, survey_id)
    html = client.get(demo_pages["survey"]).get_data(as_text=True)
    action, fields = browser_form(html, f"/surveys/{survey_id}/")
    fields.update(_form(survey))  # what the person chooses and types
    response = client.post(action, data=fields)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    row = db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id,
            SurveyResponse.registration_id == registration.id,
        )
    )
    assert row is not None and row.status == "submitted"


def test_the_manage_page_changes_details_and_cancels_without_javascript(
    client, demo_pages
):
    registration = _registrant(demo_pages)
    html = client.get(demo_pages["manage"]).get_data(as_text=True)
    action, fields = browser_form(html, "/details")
    assert fields["full_name"] == registration.full_name
    fields["city"] = "Klang"
    response = client.post(action, data=fields)
    assert response.status_code == 302
    db.session.expire_all()
    registration = db.session.get(Registration, registration.id)
    assert registration.city == "Klang" and registration.status == "confirmed"
    html = client.get(demo_pages["manage"]).get_data(as_text=True)
    action, fields = browser_form(html, "/cancel")
    assert "confirm" not in fields  # the box the person ticks
    fields["confirm"] = "y"
    response = client.post(action, data=fields)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "cancelled"


def test_registering_works_from_the_form_without_javascript(client, demo_pages):
    html = client.get(demo_pages["registration"]).get_data(as_text=True)
    action, fields = browser_form(html, "/register")
    # No script chose the time zone: the form's own default stands.
    assert fields.get("timezone")
    type_keys = sorted(
        set(
            part.split('value="')[1].split('"')[0]
            for part in html.split("data-stakeholder-type")[1:]
        )
    )
    assert "informal" in type_keys
    fields.update(
        full_name="Siti Aminah",
        email="siti.no-js@example.my",
        country="MY",
        type_key="informal",
        consent_privacy="y",
    )
    response = client.post(action, data=fields)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:800]
    row = db.session.scalar(
        select(Registration).where(Registration.email == "siti.no-js@example.my")
    )
    assert row is not None and row.full_name == "Siti Aminah"
    assert row.timezone == fields["timezone"]


def test_the_challenges_page_folds_each_challenges_inputs_without_a_script(
    client, demo_pages
):
    html = client.get(demo_pages["challenges"]).get_data(as_text=True)
    folded = html.count('<details class="challenge-inputs">')
    # The demo's five challenges and its general inputs: each closed.
    assert folded == html.count('<section class="challenge"') == 6
    assert html.count('class="input-card"') > folded  # every input is still there
    focus = client.get(
        demo_pages["challenges"] + "?challenge=" + _first_challenge(html)
    )
    assert '<details class="challenge-inputs" open>' in focus.get_data(as_text=True)


def _first_challenge(html: str) -> str:
    return html.split('id="challenge-', 1)[1].split('"', 1)[0]
