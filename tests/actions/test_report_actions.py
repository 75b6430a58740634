"""The consultation report's "Actions from this consultation" section."""

from __future__ import annotations

import re

from consult.dashboard.services.export_files import report_pdf_page
from consult.dashboard.services.report_actions import consultation_actions
from consult.data_versions import data_version
from consult.extensions import db
from tests.dashboard.conftest import count_statements  # noqa: F401 (fixture)

SECTION = "Actions from this consultation"


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_no_section_before_an_action_builds_on_the_consultation(
    reg_event, client, login, organiser
):
    login(organiser)
    page = client.get(f"/manage/events/{reg_event.slug}/report")
    assert page.status_code == 200
    assert SECTION not in page.get_data(as_text=True)
    assert consultation_actions(reg_event).rows == []


def test_the_report_lists_the_actions_with_status_progress_and_plan_link(
    plan_world, client, login, organiser
):
    login(organiser)
    html = client.get(f"/manage/events/{plan_world.event.slug}/report").get_data(
        as_text=True
    )
    assert 'href="#r-actions"' in html
    section = html[html.index('id="r-actions"') : html.index('id="r-surveys"')]
    text = _flat(section)
    assert SECTION in text
    assert (
        "Hawker centre food-waste pilot Petaling Jaya Pilot project In progress 40%"
        in (text)
    )
    assert "Refill shop policy Petaling Jaya Policy Planned 0%" in text
    # Answers one of the event's challenges, builds on none of its inputs.
    assert "Secret draft action not published" in text
    assert re.search(r'href="http://[^"]+/cities/petaling-jaya/plan"', section)


def test_no_plan_link_while_nothing_is_published(plan_world, client, login, organiser):
    for action in (plan_world.food, plan_world.plastics):
        action.published_at = None
    db.session.commit()
    login(organiser)
    html = client.get(f"/manage/events/{plan_world.event.slug}/report").get_data(
        as_text=True
    )
    assert SECTION in html and "The public action plan of" not in html


def test_another_consultations_report_has_no_section(
    plan_world, make_reg_event, client, login, organiser
):
    other = make_reg_event(title="Another consultation")
    login(organiser)
    html = client.get(f"/manage/events/{other.slug}/report").get_data(as_text=True)
    assert SECTION not in html


def test_the_printed_report_has_the_section(plan_world, app, now):
    page = report_pdf_page(plan_world.event, "en", now=now, progress=lambda *a: None)
    text = _flat(page.html)
    assert SECTION in text and "Hawker centre food-waste pilot" in text


def test_the_section_is_one_query(plan_world, count_statements):  # noqa: F811
    event = plan_world.event
    assert event.id  # loaded before counting
    with count_statements() as statements:
        found = consultation_actions(event)
    assert [s for s in statements if s.startswith("SELECT")] == statements[-1:]
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert [r.title for r in found.rows] == [
        "Hawker centre food-waste pilot",
        "Refill shop policy",
        "Secret draft action",
    ]
    assert found.public_plans == [("Petaling Jaya", "petaling-jaya")]


def test_a_kept_report_is_not_served_after_its_actions_change(plan_world):
    event_id = plan_world.event.id
    before = data_version(event_id)
    assert data_version(event_id) == before
    plan_world.food.status = "delayed"
    db.session.commit()
    moved = data_version(event_id)
    assert moved != before
    plan_world.draft.published_at = plan_world.food.published_at
    db.session.commit()
    assert data_version(event_id) != moved


def test_action_text_is_escaped_in_the_report_and_the_plan_page(
    plan_world, app, client, login, organiser, now
):
    from consult.actions.services.plan_files import plan_file
    from consult.actions.services.plan_pdf import plan_pdf_html

    payload = '<script>alert("x")</script>'
    plan_world.food.title = payload
    plan_world.food.partners = payload
    db.session.commit()
    login(organiser)
    html = client.get(f"/manage/events/{plan_world.event.slug}/report").get_data(
        as_text=True
    )
    assert payload not in html and "&lt;script&gt;" in html
    with app.test_request_context("/cities/petaling-jaya/plan.pdf"):
        page = plan_pdf_html(plan_file(plan_world.city, public=True, now=now), "en")
    assert payload not in page and "&lt;script&gt;alert" in page
