"""The public plan through HTTP: the page, its versions, its calendar file,
the links to it, and what it never shows (unpublished actions, personal data,
scripts)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from markupsafe import escape

from consult.actions.models import Milestone, PlanVersion
from consult.extensions import db
from tests.actions.conftest import (
    OWNER_EMAIL,
    OWNER_NAME,
    SECRET_MILESTONE,
    SECRET_TITLE,
)
from tests.dashboard.conftest import types_of
from tests.visitors import fresh_locale


def _plan_url(plan_city) -> str:
    return f"/cities/{plan_city.city.slug}/plan"


def test_the_page_shows_the_published_plan(client, plan_city):
    response = client.get(_plan_url(plan_city))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Petaling Jaya circular action plan" in html
    assert "<strong>asked for</strong>" in html  # the introduction's Markdown
    assert "Community composting pilot" in html and "Packaging study" in html
    assert "<em>every</em>" in html  # the description's Markdown
    assert "City of Utrecht" in html and "Circular Economy Club" in html
    assert "Majlis Bandaraya Petaling Jaya" in html
    assert "250,000.00" in html and "EU city-to-city programme" in html
    # The progress bar: an SVG with a text equivalent.
    bars = re.findall(r'<svg[^>]*class="progress-svg".*?</svg>', html, re.S)
    (bar,) = [b for b in bars if f"action-{plan_city.pilot.id}-progress" in b]
    assert 'role="img"' in bar and "40% done" in bar
    assert "Progress of Community composting pilot" in bar
    # The plan's: the mean of 40% and the study's 0%.
    assert "20% done" in bars[0] and "plan-progress" in bars[0]
    # The summary, the timeline, and the update's link.
    assert 'id="plan-summary"' in html and "Actions by status" in html
    assert "Sites chosen" in html and "Partners signed" in html
    assert "Three sites <strong>visited</strong>." in html
    assert 'href="https://example.org/news"' in html
    assert "Overdue" not in html
    assert "No published action answers this challenge yet." in html
    assert "Other actions" in html


def test_inputs_link_back_to_their_challenges_page(client, plan_city):
    html = client.get(_plan_url(plan_city)).get_data(as_text=True)
    named = plan_city.event.test_inputs[0]
    link = (
        f"/events/{plan_city.event.slug}/challenges?challenge="
        f"{named.challenge_id}#input-{named.id}"
    )
    assert f'href="{link}"' in html
    assert "proposed by Participant 0" in html
    # Participant 1 did not consent to be named; the hidden input is not shown.
    assert "Participant 1" not in html
    assert "Hidden input title" not in html
    # And the input page the link points to has that anchor.
    target = client.get(link.split("#")[0]).get_data(as_text=True)
    assert f'id="input-{named.id}"' in target


def test_priorities_show_no_group_below_the_threshold(client, plan_city):
    html = client.get(_plan_url(plan_city)).get_data(as_text=True)
    labels = {key: str(escape(t.label)) for key, t in types_of(plan_city.event).items()}
    assert f"{labels['government']} (n = 5)" in html
    assert "Other groups (combined) (n = 7)" in html
    for key in ("private", "research", "civil_society"):
        assert labels[key] not in html
    assert "38% · rank 1 of 3" in html


def test_no_personal_data_and_no_unpublished_action(client, plan_city):
    pages = [
        client.get(_plan_url(plan_city)).get_data(as_text=True),
        client.get(f"{_plan_url(plan_city)}.ics").get_data(as_text=True),
    ]
    for page in pages:
        assert OWNER_EMAIL not in page and OWNER_NAME not in page
        assert SECRET_TITLE not in page and SECRET_MILESTONE not in page
        # Nobody's email at all: registrants', organisers'.
        assert "@example.org" not in page


def test_unknown_city_or_no_published_action_is_404(client, plan_city):
    for suffix in ("", ".ics", "/versions/1"):
        assert client.get(f"/cities/atlantis/plan{suffix}").status_code == 404
    plan_city.pilot.published_at = None
    plan_city.study.published_at = None
    db.session.commit()
    assert client.get(_plan_url(plan_city)).status_code == 404
    assert client.get(f"{_plan_url(plan_city)}.ics").status_code == 404


def test_an_overdue_milestone_is_flagged(client, plan_city, now):
    plan_city.due.due_on = plan_city.due_on - timedelta(days=30)
    db.session.commit()
    html = client.get(_plan_url(plan_city)).get_data(as_text=True)
    assert html.count('class="badge badge-overdue">Overdue<') == 1
    assert "1 milestone overdue" in html


def test_links_from_the_event_and_results_pages_need_a_published_action(
    client, plan_city
):
    slug = plan_city.event.slug
    link = f'href="{_plan_url(plan_city)}"'
    assert link in client.get(f"/events/{slug}").get_data(as_text=True)
    assert link in client.get(f"/events/{slug}/results").get_data(as_text=True)
    plan_city.pilot.published_at = None
    plan_city.study.published_at = None
    db.session.commit()
    assert link not in client.get(f"/events/{slug}").get_data(as_text=True)
    assert link not in client.get(f"/events/{slug}/results").get_data(as_text=True)


def test_versions_are_listed_and_read_from_their_snapshot(client, plan_city, now):
    snapshot = {
        "title": "Plan as adopted",
        "introduction": "Adopted *together*.",
        "actions": [
            {
                "title": "Composting, as adopted",
                "kind": "pilot",
                "status": "planned",
                "progress": 10,
                "start_on": now.date().isoformat(),
                "challenges": ["Food and organic waste", {"title": "Plastics"}],
                "milestones": [
                    {"title": "First site", "due_on": now.date().isoformat()},
                    {"due_on": "not a date"},
                ],
            },
            {"kind": "study"},  # no title: left out
            "not an action",
            {"title": "Odd values", "kind": "bribe", "progress": "lots"},
        ],
    }
    db.session.add(
        PlanVersion(
            plan_id=plan_city.plan.id,
            number=1,
            note="Adopted by the council.",
            snapshot=snapshot,
            published_at=now,
        )
    )
    db.session.add(
        PlanVersion(plan_id=plan_city.plan.id, number=2, snapshot=[], published_at=now)
    )
    db.session.commit()
    main = client.get(_plan_url(plan_city)).get_data(as_text=True)
    assert f'href="{_plan_url(plan_city)}/versions/1"' in main
    assert f'href="{_plan_url(plan_city)}/versions/2"' in main
    html = client.get(f"{_plan_url(plan_city)}/versions/1").get_data(as_text=True)
    assert "Plan as adopted" in html and "<em>together</em>" in html
    assert "Composting, as adopted" in html and "First site" in html
    assert "Food and organic waste · Plastics" in html
    assert "Odd values" in html and "bribe" not in html and "lots" not in html
    assert "Adopted by the council." in html
    # A snapshot of an unexpected shape: the plan's title, no actions.
    empty = client.get(f"{_plan_url(plan_city)}/versions/2")
    assert empty.status_code == 200
    assert "This version recorded no actions." in empty.get_data(as_text=True)
    assert client.get(f"{_plan_url(plan_city)}/versions/3").status_code == 404


PAYLOADS = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_texts_are_escaped_on_the_page(client, plan_city, payload):
    pilot = plan_city.pilot
    pilot.title = f"Pilot {payload}"
    pilot.description_md = f"Text {payload}"
    pilot.partners = payload
    plan_city.due.title = f"Milestone {payload}"
    pilot.updates[0].body = f"Update {payload}"
    pilot.updates[0].link = "javascript:alert(1)"
    db.session.commit()
    html = client.get(_plan_url(plan_city)).get_data(as_text=True)
    assert payload not in html
    assert "javascript:" not in html
    assert str(escape(f"Pilot {payload}")) in html
    assert str(escape(f"Milestone {payload}")) in html
    ics = client.get(f"{_plan_url(plan_city)}.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in ics


def test_the_calendar_has_the_published_milestones_as_all_day_events(
    client, plan_city, icaljs, tmp_path
):
    response = client.get(f"{_plan_url(plan_city)}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "petaling-jaya-action-plan.ics" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert b"\r\n" in data and b"DTSTART;VALUE=DATE:" in data
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    due = {str(e["summary"]): e for e in events}
    assert set(due) == {
        "Sites chosen · Community composting pilot",
        "Partners signed · Community composting pilot",
    }
    sites = due["Sites chosen · Community composting pilot"]
    assert sites.decoded("dtstart") == plan_city.due_on
    assert sites.decoded("dtend") == plan_city.due_on + timedelta(days=1)
    assert str(sites["uid"]) == f"action-milestone-{plan_city.due.id}@consult.test"
    # Thunderbird's parser reads the same: all-day, on the due date.
    parsed = icaljs(data, tmp_path)
    assert parsed["method"] == "PUBLISH"
    by_uid = {e["uid"]: e for e in parsed["events"]}
    read = by_uid[str(sites["uid"])]
    assert read["allDay"] is True
    assert read["startDate"] == plan_city.due_on.isoformat()
    # The same UIDs in a later download, even with a milestone added.
    db.session.add(
        Milestone(action_id=plan_city.study.id, title="Survey", due_on=plan_city.due_on)
    )
    db.session.commit()
    again = Calendar.from_ical(client.get(f"{_plan_url(plan_city)}.ics").get_data())
    uids = {str(e["uid"]) for e in again.walk("VEVENT")}
    assert {str(e["uid"]) for e in events} < uids and len(uids) == 3


@pytest.mark.parametrize(
    ("language", "heading", "overdue_word"),
    [("ms", "Kedudukan pelan", "Lewat tarikh"), ("zh-Hans", "计划进展", "已逾期")],
)
def test_the_page_in_the_readers_language(
    client, plan_city, language, heading, overdue_word
):
    plan_city.due.due_on = plan_city.due_on - timedelta(days=30)
    db.session.commit()
    visitor = fresh_locale(client)
    html = visitor.get(
        _plan_url(plan_city), headers={"Accept-Language": language}
    ).get_data(as_text=True)
    assert heading in html and overdue_word in html
    assert "Where the plan stands" not in html
