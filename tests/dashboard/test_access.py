"""Only the event's organisers and admins reach the dashboard, report and exports."""

from __future__ import annotations

import pytest

from consult.registration.services import manage_token

PAGES = (
    "dashboard",
    "report",
    "report.pdf",
    "export.xlsx",
    "export/registrants.csv",
    "export/inputs.xlsx",
    "export/priorities.csv",
    "export/surveys.xlsx",
)


def _url(event, page):
    return f"/manage/events/{event.slug}/{page}"


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(dash_event, client, page):
    response = client.get(_url(dash_event, page))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_participant_with_a_manage_link_cannot_reach_them(dash_event, client):
    person = dash_event.test_people[0]
    link = f"/events/{dash_event.slug}/registration/{manage_token(person)}"
    assert client.get(link).status_code == 200  # their own page works
    for page in PAGES:
        response = client.get(_url(dash_event, page))
        assert response.status_code == 302, page
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_another_organiser_is_refused(dash_event, other_organiser, login, client, page):
    login(other_organiser)
    assert client.get(_url(dash_event, page)).status_code == 403


def test_an_expert_account_is_refused(dash_event, make_user, login, client):
    login(make_user("expert@example.org", role="expert"))
    for page in PAGES:
        assert client.get(_url(dash_event, page)).status_code == 403, page


def test_refused_users_leave_no_export_log(
    dash_event, other_organiser, organiser, login, client
):
    login(other_organiser)
    client.get(_url(dash_event, "export.xlsx"))
    login(organiser)
    page = client.get(_url(dash_event, "dashboard")).get_data(as_text=True)
    assert "No exports yet." in page


@pytest.mark.parametrize("page", [p for p in PAGES if p != "report.pdf"])
def test_admins_and_co_organisers_get_in(
    dash_event, admin, make_user, login, client, page
):
    from consult.events.models import EventOrganiser
    from consult.extensions import db

    co = make_user("co@example.org")
    db.session.add(EventOrganiser(event_id=dash_event.id, user_id=co.id))
    db.session.commit()
    for user in (admin, co):
        login(user)
        assert client.get(_url(dash_event, page)).status_code == 200, user.email


def test_draft_events_are_a_404_for_other_organisers(
    make_reg_event, other_organiser, login, client
):
    event = make_reg_event(publish=False)
    login(other_organiser)
    assert client.get(_url(event, "dashboard")).status_code == 404
    assert client.get(_url(event, "report")).status_code == 404


def test_overview_needs_an_organiser_account(client, make_user, login):
    assert client.get("/manage/overview").status_code == 302
    login(make_user("expert@example.org", role="expert"))
    assert client.get("/manage/overview").status_code == 403


def test_publishing_is_for_the_event_organisers_only(
    dash_event, other_organiser, login, client
):
    url = f"/manage/events/{dash_event.slug}/results/publish"
    assert client.post(url, data={"note": "x"}).status_code == 302  # to log in
    login(other_organiser)
    assert client.post(url, data={"note": "x"}).status_code == 403
    assert client.get(f"/events/{dash_event.slug}/results").status_code == 404
