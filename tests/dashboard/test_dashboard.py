"""The dashboard: figures, warnings, charts with data tables, inert user text."""

from __future__ import annotations

from datetime import UTC, date, datetime

from consult.dashboard.services import queries
from consult.dashboard.services.dashboard import dashboard_data
from consult.dashboard.services.overview import organiser_overview
from consult.dashboard.services.surveys import survey_summaries
from consult.extensions import db
from tests.dashboard.conftest import PAYLOAD


def test_dashboard_figures(dash_event, now):
    data = dashboard_data(dash_event, now=now)
    assert data.balance.confirmed == 12
    assert (data.balance.waitlisted, data.balance.pending) == (1, 1)
    assert data.registrations == 14
    # Countries count participants (confirmed): not the waiting or pending two.
    assert dict(data.countries) == {"MY": 8, "NL": 4}
    assert data.inputs_total == 6
    assert data.priorities.ballots == 12
    summary = data.surveys[0]
    assert summary.results.responses == 8
    assert summary.results.overall_rate.audience == 12
    # Four chose each option: the tie is named, not the first in list order.
    assert summary.headlines[0].text == (
        "Most chosen, tied: Food waste and Packaging (50% each)"
    )
    # informal: 0 of 12 against 15%; civil society 1 of 12 (8%) against 20%.
    flagged = {row.stakeholder_type.key for row in data.balance.under_represented}
    assert flagged == {"informal", "civil_society"}


def test_registrations_are_counted_per_day_in_the_event_zone(
    reg_event, make_registration
):
    # 20:00 UTC is 04:00 the next day in Kuala Lumpur (UTC+8).
    for hour, day in ((20, 10), (1, 11), (9, 13)):
        make_registration(
            reg_event, created_at=datetime(2026, 11, day, hour, tzinfo=UTC)
        )
    days = queries.registrations_by_day(reg_event)
    assert days == [
        (date(2026, 11, 11), 2),
        (date(2026, 11, 12), 0),
        (date(2026, 11, 13), 1),
    ]


def test_dashboard_page_warns_about_under_represented_groups(
    dash_event, organiser, login, client
):
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/dashboard")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Under-represented stakeholder groups" in text
    assert "Informal sector &amp; community groups: 0% of confirmed seats" in text
    assert 'role="alert"' in text
    # No spread chart: only one stakeholder group has five ballots or more.
    assert text.count("<svg") >= 7
    assert text.count("Show the data as a table") >= 7
    assert "Fewer than two stakeholder groups have 5 ballots or more" in text
    assert "Before the webinar" in text and "8 responses" in text
    assert "No exports yet." in text
    assert "style=" not in text and "<script>" not in text.split("localtime.js")[0]


def test_user_text_stays_inert_on_the_dashboard(dash_event, organiser, login, client):
    dash_event.test_people[0].city = PAYLOAD
    dash_event.test_survey.questions[0].options[0].label = PAYLOAD
    dash_event.test_survey.title = PAYLOAD
    db.session.commit()
    login(organiser)
    text = client.get(f"/manage/events/{dash_event.slug}/dashboard").get_data(
        as_text=True
    )
    assert PAYLOAD not in text
    assert "&lt;script&gt;" in text


def test_survey_results_hidden_for_small_anonymous_surveys(dash_event):
    dash_event.test_survey.anonymous = True
    db.session.commit()
    summaries = survey_summaries(dash_event, with_charts=True)
    assert summaries[0].results.responses == 8
    assert not summaries[0].results.hidden
    assert summaries[0].charts


def test_overview_figures(dash_event, make_reg_event, organiser, other_organiser):
    make_reg_event(owner=other_organiser, title="Not mine")
    overview = organiser_overview(organiser)
    assert [row.event.title for row in overview.events] == [dash_event.title]
    row = overview.events[0]
    assert (row.confirmed, row.waitlisted, row.pending) == (12, 1, 1)
    assert (row.inputs, row.ballots, row.survey_responses) == (6, 12, 8)
    assert "Informal sector & community groups" in row.under_represented
    assert not row.results_published


def test_overview_page(dash_event, admin, login, client):
    login(admin)
    text = client.get("/manage/overview").get_data(as_text=True)
    assert dash_event.title in text
    assert f"/manage/events/{dash_event.slug}/dashboard" in text
