"""The organiser's platform page over HTTP: link, retry, fetch the report,
preview it in the attendance import, unlink; refusals next to their field;
the join link's wording on the participant's page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.platforms.models import PlatformLink, PlatformRegistrant
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_token
from tests.effects import committed, committed_row
from tests.platforms.helpers import link_zoom, row_of


def _page(client, event):
    return client.get(f"/manage/events/{event.slug}/platform")


def _link_of(session, event):
    return session.scalar(select(PlatformLink).where(PlatformLink.event_id == event.id))


def test_link_retry_report_and_unlink_are_committed(
    app, client, login, organiser, make_reg_event, make_registration, zoom, run_job, now
):
    event = make_reg_event(
        start_at=now - timedelta(hours=3), end_at=now - timedelta(hours=1)
    )
    login(organiser)
    zoom.add_meeting("81234567890")
    response = client.post(
        f"/manage/events/{event.slug}/platform",
        data={"platform": "zoom", "kind": "meeting", "existing_id": "812-3456-7890"},
    )
    assert response.status_code == 302
    link = _link_of(committed(), event)
    assert (link.platform, link.meeting_id, link.state) == (
        "zoom",
        "81234567890",
        "pending",
    )
    assert zoom.calls == []  # nothing is called in the request
    later = now + timedelta(minutes=1)  # after the request's own clock
    run_job(later)
    person = make_registration(event)
    zoom.fail("POST", r"/registrants$", 400, {"code": 300, "message": "Nope."})
    run_job(later)
    assert row_of(person).state == "failed"
    page = _page(client, event).get_data(as_text=True)
    assert "Nope." in page
    response = client.post(
        f"/manage/events/{event.slug}/platform/retry",
        data={"row": str(row_of(person).id)},
    )
    assert response.status_code == 302
    row = committed().scalar(
        select(PlatformRegistrant).where(
            PlatformRegistrant.registration_id == person.id
        )
    )
    assert (row.state, row.last_error) == ("pending", "")
    row_id = row.id
    response = client.post(f"/manage/events/{event.slug}/platform/report")
    assert response.status_code == 302
    assert _link_of(committed(), event).report_state == "pending"
    response = client.post(f"/manage/events/{event.slug}/platform/unlink")
    assert response.status_code == 302
    session = committed()
    assert _link_of(session, event) is None
    assert session.get(PlatformRegistrant, row_id) is None


def test_retry_of_a_failed_meeting_is_committed(
    app, client, login, organiser, reg_event, zoom, run_job, now
):
    login(organiser)
    link_zoom(app, reg_event, organiser, now, existing="89999999999")
    run_job(now)
    page = _page(client, reg_event).get_data(as_text=True)
    assert "3001" in page and "Try again" in page
    zoom.add_meeting("89999999999")
    assert (
        client.post(
            f"/manage/events/{reg_event.slug}/platform/retry-meeting"
        ).status_code
        == 302
    )
    link = committed_row(PlatformLink, _link_of(db.session, reg_event).id)
    assert link.state == "pending" and link.last_error == ""
    run_job(now + timedelta(minutes=1))  # after the request's own clock
    assert _link_of(committed(), reg_event).state == "ready"


def test_bad_input_is_shown_next_to_its_field_and_changes_nothing(
    app, client, login, organiser, reg_event
):
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/platform",
        data={"platform": "zoom", "kind": "meeting", "existing_id": "12ab"},
    )
    assert response.status_code == 422
    assert "A Zoom meeting or webinar ID has 9 to 12 digits." in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/manage/events/{reg_event.slug}/platform",
        data={"platform": "jitsi", "existing_id": "no spaces please"},
    )
    assert response.status_code == 422
    assert "letters, digits, hyphens or underscores" in response.get_data(as_text=True)
    assert _link_of(committed(), reg_event) is None


def test_zoom_without_credentials_is_refused(app, client, login, organiser, reg_event):
    app.config["ZOOM_CLIENT_SECRET"] = ""
    login(organiser)
    page = _page(client, reg_event).get_data(as_text=True)
    assert "Zoom is not set up on this site" in page
    response = client.post(
        f"/manage/events/{reg_event.slug}/platform",
        data={"platform": "zoom", "kind": "meeting"},
    )
    assert response.status_code == 422
    assert _link_of(committed(), reg_event) is None


def test_other_organisers_cannot_see_or_change_the_platform(
    app, client, login, other_organiser, reg_event
):
    login(other_organiser)
    assert _page(client, reg_event).status_code == 403
    response = client.post(
        f"/manage/events/{reg_event.slug}/platform", data={"platform": "jitsi"}
    )
    assert response.status_code == 403
    assert _link_of(committed(), reg_event) is None


def test_the_zoom_report_goes_through_the_attendance_preview_and_apply(
    app, client, login, organiser, make_reg_event, make_registration, zoom, run_job, now
):
    event = make_reg_event(
        start_at=now - timedelta(hours=3), end_at=now - timedelta(hours=1)
    )
    zoom.add_meeting("81234567890")
    link_zoom(app, event, organiser, now, existing="81234567890")
    came = make_registration(event, "came@example.org", full_name="Nur Aisyah")
    absent = make_registration(event, "absent@example.org", full_name="Absent Person")
    start = (now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [
        {"id": "a", "name": "Nur Aisyah", "user_email": "came@example.org",
         "join_time": start, "leave_time": start, "duration": 1500},
        {"id": "b", "name": "Nur Aisyah", "user_email": "came@example.org",
         "join_time": start, "leave_time": start, "duration": 1800},
        {"id": "c", "name": "Guest Without Email", "user_email": "",
         "join_time": start, "leave_time": start, "duration": 600},
    ]  # fmt: skip
    zoom.participants["81234567890"] = rows * 150  # 450 joins: two pages
    run_job(now)  # the meeting is checked, the registrants added
    login(organiser)
    assert (
        client.post(f"/manage/events/{event.slug}/platform/report").status_code == 302
    )
    run_job(now + timedelta(minutes=1))
    assert len(zoom.calls_to("GET", r"/report/meetings/81234567890/participants")) == 2
    page = _page(client, event).get_data(as_text=True)
    assert "Preview the import" in page
    preview = client.get(f"/manage/events/{event.slug}/platform/report/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Check before applying" in html and "Nur Aisyah" in html
    assert "Guest Without Email" in html
    token = _hidden(html, "token")
    response = client.post(
        f"/manage/events/{event.slug}/attendance/apply", data={"token": token}
    )
    assert response.status_code == 302
    session = committed()
    assert session.get(Registration, came.id).attended is True
    assert session.get(Registration, absent.id).attended is False


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}"[^>]*value="([^"]+)"', html).group(1)


def test_manage_page_calls_a_shared_link_shared_and_a_personal_one_personal(
    app, client, reg_event, organiser, make_registration, zoom, run_job, now
):
    person = make_registration(reg_event, "tan@example.org")
    db.session.commit()
    token = manage_token(person)
    page = client.get(f"/events/{reg_event.slug}/registration/{token}").get_data(
        as_text=True
    )
    assert reg_event.join_url in page
    assert "personal join link" not in page
    assert "Join link:" in page
    zoom.add_meeting("81234567890")
    link_zoom(app, reg_event, organiser, now, existing="81234567890")
    run_job(now)
    page = client.get(f"/events/{reg_event.slug}/registration/{token}").get_data(
        as_text=True
    )
    personal = zoom.active("81234567890")["tan@example.org"]["join_url"]
    assert personal.replace("&", "&amp;") in page or personal in page
    assert "Your personal join link (please do not share it):" in page


def test_a_platform_message_with_markup_is_shown_as_text(
    app, client, login, organiser, reg_event, make_registration, zoom, run_job, now
):
    zoom.add_meeting("81234567890")
    link_zoom(app, reg_event, organiser, now, existing="81234567890")
    make_registration(reg_event, full_name='<img src=x onerror="alert(1)">')
    zoom.fail(
        "POST", r"/registrants$", 400,
        {"code": 300, "message": "<script>alert('zoom')</script>"},
    )  # fmt: skip
    run_job(now)
    login(organiser)
    page = _page(client, reg_event).get_data(as_text=True)
    assert "<script>alert('zoom')</script>" not in page
    assert "&lt;script&gt;alert(&#39;zoom&#39;)&lt;/script&gt;" in page
    assert '<img src=x onerror="alert(1)">' not in page
