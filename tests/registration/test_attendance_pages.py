"""The organiser's attendance import pages: upload, preview, apply."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.registration.models import AttendanceImport
from tests.conftest import make_app
from tests.registration.test_attendance_services import (
    sample_event,
    sample_registrants,
)

DATA = Path(__file__).parent / "data"
ZOOM = "zoom-webinar-attendee-report.csv"
TEAMS = "teams-attendance-report.csv"


@pytest.fixture
def att_event(app, organiser, now):
    return sample_event(organiser, now)


@pytest.fixture
def registrants(att_event, now):
    return sample_registrants(att_event, now)


def url(event, suffix: str = "") -> str:
    return f"/manage/events/{event.slug}/attendance{suffix}"


def upload(
    client, event, name: str, *, zone="Asia/Kuala_Lumpur", threshold=10, content=None
):
    if content is None:
        path = DATA / name
        content = path.read_bytes() if path.exists() else name.encode()
    return client.post(
        url(event),
        data={
            "report": (io.BytesIO(content), name),
            "zone": zone,
            "threshold_minutes": str(threshold),
        },
        content_type="multipart/form-data",
    )


def token_in(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert match, "the preview carries the report to Apply"
    return html.unescape(match.group(1))


def apply(client, event, token: str):
    return client.post(url(event, "/apply"), data={"token": token})


def state(registrants) -> dict:
    for registration in registrants.values():
        db.session.refresh(registration)
    return {n: (r.attended, r.attended_minutes) for n, r in registrants.items()}


def import_count() -> int:
    return db.session.scalar(select(func.count(AttendanceImport.id)))


def test_form_defaults_to_the_events_zone_and_threshold(
    client, login, organiser, att_event
):
    att_event.attendance_threshold_minutes = 15
    db.session.commit()
    login(organiser)

    page = client.get(url(att_event)).get_data(as_text=True)

    assert '<option selected value="Asia/Kuala_Lumpur">' in page
    assert 'name="threshold_minutes"' in page and 'value="15"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "No report has been imported for this event yet." in page


def test_upload_previews_then_apply_marks_attendance(
    client, login, organiser, att_event, registrants
):
    login(organiser)

    response = upload(client, att_event, ZOOM)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "3 confirmed registrants will be marked as attended." in page
    assert "Tan Wei Ming (PJ Council)" in page  # the name Zoom shows
    assert "Guest 2291" in page and "Host" in page  # unmatched, labelled
    assert "Marta Kowalska" in page and "Awaiting approval" in page
    assert "Lee Hyun-woo" in page  # confirmed, absent from the report
    assert all(value == (False, None) for value in state(registrants).values())

    done = apply(client, att_event, token_in(page))

    assert done.status_code == 302
    assert done.headers["Location"].endswith(url(att_event))
    after = state(registrants)
    assert after["Siti Aminah"] == (True, 115)
    assert after["Nurul Huda"] == (True, 100)
    assert after["Lukas Becker"] == (False, 6)
    assert after["Marta Kowalska"] == (False, None)
    assert import_count() == 1
    listing = client.get(url(att_event)).get_data(as_text=True)
    assert "Attendance imported from zoom-webinar-attendee-report.csv" in listing
    assert ZOOM in listing and "Zoom" in listing


def test_applying_the_same_preview_twice_changes_nothing(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    token = token_in(upload(client, att_event, ZOOM).get_data(as_text=True))
    apply(client, att_event, token)
    before = state(registrants)

    again = upload(client, att_event, ZOOM).get_data(as_text=True)
    assert "already imported with the same threshold" in again
    apply(client, att_event, token_in(again))
    apply(client, att_event, token)

    assert state(registrants) == before
    assert import_count() == 1


def test_teams_report_in_its_own_zone(client, login, organiser, att_event, registrants):
    login(organiser)

    page = upload(client, att_event, TEAMS, zone="Europe/Paris").get_data(as_text=True)

    assert "Microsoft Teams report" in page and "Paris time" in page
    assert "No, below the threshold" in page  # Park Ji-woo, 4 minutes
    apply(client, att_event, token_in(page))
    after = state(registrants)
    assert after["Park Ji-woo"] == (False, 4)
    assert after["Siti Aminah"] == (True, 115)
    assert after["Elodie  MARTIN"] == (True, 80)


def test_a_file_that_is_not_a_report_is_refused_next_to_the_field(
    client, login, organiser, att_event, registrants
):
    login(organiser)

    response = upload(client, att_event, "not-a-report.csv")
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    error = re.search(r'id="report-error"[^>]*>([^<]+)<', page)
    assert error and "does not look like a Zoom or Teams attendance report" in (
        error.group(1)
    )
    assert all(value == (False, None) for value in state(registrants).values())
    assert import_count() == 0


def test_a_tab_in_one_name_does_not_refuse_the_report(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    content = (
        (DATA / ZOOM).read_bytes().replace(b"Yes,Lukas Becker", b"Yes,Lukas\tBecker")
    )

    page = upload(client, att_event, ZOOM, content=content).get_data(as_text=True)
    apply(client, att_event, token_in(page))

    after = state(registrants)
    assert after["Siti Aminah"] == (True, 115)
    assert after["Lukas Becker"] == (False, 6)  # read, matched by email
    assert import_count() == 1


def test_a_bad_line_is_named_next_to_the_field_and_nothing_is_imported(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    lines = (DATA / ZOOM).read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines, 1) if b"Lukas Becker" in line)
    lines[number - 1] = lines[number - 1].replace(b",6,", b",six,")

    response = upload(client, att_event, ZOOM, content=b"\n".join(lines))

    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    error = re.search(r'id="report-error"[^>]*>([^<]+)<', page)
    assert error, "the message sits next to the upload field"
    assert (
        f'line {number}, column "Time in Session (minutes)": '
        '"six" is not a number of minutes'
    ) in error.group(1)
    assert "Nothing was imported" in error.group(1)
    assert all(value == (False, None) for value in state(registrants).values())
    assert import_count() == 0


def test_no_file_and_bad_threshold_are_shown_on_their_fields(
    client, login, organiser, att_event
):
    login(organiser)

    response = client.post(
        url(att_event),
        data={"zone": "Asia/Kuala_Lumpur", "threshold_minutes": "-5"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Choose the report file you downloaded." in page
    assert "Enter a whole number from 0 to 1,440." in page


def test_a_tampered_preview_is_refused(
    client, login, organiser, att_event, registrants
):
    login(organiser)
    token = token_in(upload(client, att_event, ZOOM).get_data(as_text=True))

    response = apply(client, att_event, token[:-3] + "abc")

    assert response.status_code == 302
    assert "could not be read" in client.get(url(att_event)).get_data(as_text=True)
    assert all(value == (False, None) for value in state(registrants).values())
    assert import_count() == 0


def test_a_preview_cannot_be_applied_to_another_event(
    client, login, organiser, att_event, make_user, now
):
    from consult.events.services import EventData, create_event

    other = create_event(
        organiser,
        EventData(
            title="Second webinar",
            timezone="Asia/Kuala_Lumpur",
            start=att_event.start_at.replace(tzinfo=None),
            end=att_event.end_at.replace(tzinfo=None),
        ),
        now=now,
    )
    db.session.commit()
    login(organiser)
    token = token_in(upload(client, att_event, ZOOM).get_data(as_text=True))

    apply(client, other, token)

    assert "belongs to another event" in client.get(url(other)).get_data(as_text=True)
    assert import_count() == 0


@pytest.mark.parametrize("suffix, method", [("", "get"), ("/apply", "post")])
def test_another_organiser_is_refused(
    client, login, other_organiser, att_event, suffix, method
):
    login(other_organiser)

    response = getattr(client, method)(url(att_event, suffix))

    assert response.status_code in (403, 404)
    assert import_count() == 0


@pytest.mark.parametrize("suffix, method", [("", "get"), ("/apply", "post")])
def test_anonymous_visitors_are_sent_to_login(client, att_event, suffix, method):
    response = getattr(client, method)(url(att_event, suffix))

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_apply_checks_csrf_itself(database_url, tmp_path, organiser, att_event):
    user_id, apply_url = organiser.get_id(), url(att_event, "/apply")
    db.session.commit()  # this test's session must not hold SQLite's lock
    csrf_app = make_app(database_url, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    csrf_client = csrf_app.test_client()
    with csrf_client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True

    response = csrf_client.post(apply_url, data={"token": "x"})
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 302
    assert import_count() == 0
