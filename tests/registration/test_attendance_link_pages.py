"""The attendance preview through HTTP: the date warning, times in the event's
zone, roles, and a row linked to a registrant by hand until it is applied."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import AttendanceImport, Registration
from consult.timeutil import format_date, local_date
from tests.effects import committed, committed_row
from tests.registration.attendance_reports import HOST, zoom_meeting
from tests.registration.test_attendance_pages import (
    import_count,
    state,
    token_in,
    upload,
    url,
)
from tests.registration.test_attendance_services import (
    sample_event,
    sample_registrants,
)

GUEST = ("Guest 2291", "", "16:12", "17:00", 48)
TAN = ("Tan Wei Ming (PJ Council)", "", "16:00", "17:50", 110)


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def preview(client, event, people, day=None):
    day = day or local_date(event.start_at, event.timezone)
    response = upload(
        client, event, "zoom.csv", content=zoom_meeting(day, people), threshold=10
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def select_for(page: str, name: str) -> str:
    """The name of the select on the report row of `name`."""
    row = next(r for r in page.split("<tr>") if f"<td>{name}</td>" in r)
    return re.search(r'<select id="(link-\d+)"', row).group(1)


def test_the_preview_shows_times_in_the_events_zone_roles_and_name_matches(
    client, login, organiser, att_event, registrants
):
    login(organiser)

    page = html.unescape(preview(client, att_event, [HOST, TAN, GUEST]))

    assert "Tan Wei Ming (PJ Council)" in page and "Name" in page
    tan = next(r for r in page.split("<tr>") if "Tan Wei Ming (PJ Council)" in r)
    assert ">16:00</time>" in tan and ">17:50</time>" in tan
    host = next(r for r in page.split("<tr>") if "<td>Consult Organiser</td>" in r)
    assert "<td>Host</td>" in host and ">15:58</time>" in host
    assert "shown in Kuala Lumpur time" in page
    assert "Check the dates" not in page
    assert "1 confirmed registrant will be marked as attended." in page


def test_a_report_of_another_day_is_previewed_with_a_warning_naming_both_days(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    zone = att_event.timezone
    before = local_date(att_event.start_at, zone) - timedelta(days=7)

    page = html.unescape(preview(client, att_event, [HOST, TAN], day=before))

    warning = re.search(r'id="days-warning">(.*?)</p>', page, re.S).group(1)
    with client.application.test_request_context():
        report_day = format_date(att_event.start_at - timedelta(days=7), zone)
        event_day = format_date(att_event.start_at, zone)
    assert f"the report has times on {report_day}" in " ".join(warning.split())
    assert f"the event is on {event_day} (Kuala Lumpur time)" in " ".join(
        warning.split()
    )
    assert 'name="token"' in page  # a warning, not a refusal
    assert import_count() == 0


def test_a_row_linked_by_hand_survives_check_again_and_is_applied(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    page = preview(client, att_event, [HOST, GUEST])
    ana = registrants["Ana Ferreira"]
    link = select_for(page, "Guest 2291")
    form = {"token": token_in(page), link: str(ana.id)}

    again = client.post(url(att_event, "/apply"), data={**form, "recheck": "1"})

    assert again.status_code == 200
    checked = html.unescape(again.get_data(as_text=True))
    assert f'<option value="{ana.id}" selected>Ana Ferreira' in checked
    assert "By you" in checked
    assert "1 confirmed registrant will be marked as attended." in checked
    assert state(registrants)["Ana Ferreira"] == (False, None)
    assert import_count() == 0

    done = client.post(url(att_event, "/apply"), data=form)

    assert done.status_code == 302
    stored = committed_row(Registration, ana.id)
    assert (stored.attended, stored.attended_minutes) == (True, 48)
    after = state(registrants)
    assert all(v == (False, None) for n, v in after.items() if n != "Ana Ferreira")
    [record] = committed().scalars(select(AttendanceImport))
    assert (record.matched, record.unmatched) == (1, 1)


@pytest.mark.parametrize("value", ["not-a-number", "999999999999999999999", "-1"])
def test_a_link_that_is_not_a_registrant_is_refused_on_its_row(
    client, login, organiser, att_event, registrants, value
):
    login(organiser)
    page = preview(client, att_event, [HOST, GUEST])
    link = select_for(page, "Guest 2291")

    response = client.post(
        url(att_event, "/apply"), data={"token": token_in(page), link: value}
    )

    assert response.status_code == 422
    assert f'id="{link}-error"' in response.get_data(as_text=True)
    assert all(v == (False, None) for v in state(registrants).values())
    assert import_count() == 0


def test_a_link_to_someone_cancelled_since_the_preview_is_refused(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    page = preview(client, att_event, [HOST, GUEST])
    link = select_for(page, "Guest 2291")
    ana = registrants["Ana Ferreira"]
    ana.status = "cancelled"
    db.session.commit()

    response = client.post(
        url(att_event, "/apply"), data={"token": token_in(page), link: str(ana.id)}
    )

    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not a confirmed registrant of this event any more" in text
    assert "Nothing was applied" in text
    assert state(registrants)["Ana Ferreira"] == (False, None)
    assert import_count() == 0
