"""Fixed query counts: the dashboard and the report run the same number of
statements for 100 and for 10,000 registrations; the overview the same for 2
and for 20 events."""

from __future__ import annotations

from consult.extensions import db


def _get(client, url, count_statements):
    db.session.expire_all()
    with count_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), response


def test_dashboard_and_report_queries_do_not_grow_with_registrations(
    dash_event, organiser, login, client, bulk_registrations, count_statements
):
    login(organiser)
    slug = dash_event.slug
    dashboard = f"/manage/events/{slug}/dashboard"
    report = f"/manage/events/{slug}/report"

    bulk_registrations(dash_event, 100 - 14)
    small_dashboard, page = _get(client, dashboard, count_statements)
    assert b"Bulk" not in page.data  # aggregates only, no lists of people
    small_report, page = _get(client, report, count_statements)
    assert b"98 confirmed registrants" in page.data  # 12 + 86 in bulk

    bulk_registrations(dash_event, 9_900, start=100)
    large_dashboard, page = _get(client, dashboard, count_statements)
    large_report, page = _get(client, report, count_statements)
    assert b"9998 confirmed registrants" in page.data

    assert small_dashboard == large_dashboard
    assert small_report == large_report
    assert large_dashboard < 60 and large_report < 60


def test_overview_queries_do_not_grow_with_events(
    make_reg_event, organiser, login, client, make_registration, count_statements
):
    login(organiser)
    for i in range(2):
        event = make_reg_event(title=f"Event {i}")
        make_registration(event)
    small, page = _get(client, "/manage/overview", count_statements)
    assert page.get_data(as_text=True).count("Event ") >= 2
    for i in range(2, 20):
        event = make_reg_event(title=f"Event {i}")
        make_registration(event)
    large, page = _get(client, "/manage/overview", count_statements)
    assert "Event 19" in page.get_data(as_text=True)
    assert small == large
