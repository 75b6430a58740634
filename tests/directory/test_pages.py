"""The directory through HTTP: what each page shows and what each button commits."""

from __future__ import annotations

from sqlalchemy import select

from consult.directory.models import (
    DirectoryBlock,
    DirectoryProfile,
    DirectoryReport,
    MeetingRequest,
)
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from tests.clock import field, wall
from tests.directory.conftest import page_of
from tests.effects import committed


def _send(client, sender, recipient, **extra):
    data = {
        "message": "Shall we talk about compost?",
        "timezone": "Asia/Kuala_Lumpur",
        "slot_1": field(wall(3, 16)),
        **extra,
    }
    return client.post(page_of(sender, f"/people/{recipient.id}/request"), data=data)


def test_profile_opt_in_and_out_is_committed(
    client, dir_event, challenges, make_registration
):
    quiet = make_registration(dir_event, full_name="Quiet Quinn", email="q@example.org")
    db.session.commit()
    response = client.post(
        page_of(quiet, "/profile"),
        data={
            "listed": "y",
            "looking_for": "Compost partners",
            "offering": "A sorting line",
            "topics": "biogas",
            "challenges": [str(challenges[0].id)],
        },
    )
    assert response.status_code == 302
    session = committed()
    profile = session.scalar(
        select(DirectoryProfile).where(DirectoryProfile.registration_id == quiet.id)
    )
    assert profile.looking_for == "Compost partners"
    assert [c.id for c in profile.challenges] == [challenges[0].id]
    assert session.get(Registration, quiet.id).consent_listing is True
    assert client.post(page_of(quiet, "/leave")).status_code == 302
    assert committed().get(Registration, quiet.id).consent_listing is False


def test_profile_refuses_long_texts_and_keeps_them(client, amina):
    response = client.post(
        page_of(amina, "/profile"), data={"listed": "y", "offering": "x" * 301}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="offering-error"' in html
    assert "x" * 301 in html


def test_directory_shows_listed_people_without_their_email(client, amina, jan):
    html = client.get(page_of(amina)).get_data(as_text=True)
    assert "Jan de Vries" in html
    assert "jan@example.nl" not in html
    filtered = client.get(page_of(amina), query_string={"country": "MY"})
    assert "Jan de Vries" not in filtered.get_data(as_text=True)


def test_directory_is_closed_to_people_not_confirmed_and_listed(
    client, dir_event, amina, make_registration, listed
):
    quiet = make_registration(dir_event, full_name="Quiet Quinn")
    waiting = listed(full_name="Waiting Wu", status="waitlisted")
    db.session.commit()
    for outsider in (quiet, waiting):
        response = client.get(page_of(outsider))
        assert response.status_code == 403
        assert "Amina Rahman" not in response.get_data(as_text=True)
        ask = client.get(page_of(outsider, f"/people/{amina.id}/request"))
        assert ask.status_code == 403


def test_request_accept_and_decline_are_committed(client, amina, jan, listed, outbox):
    assert _send(client, amina, jan).status_code == 302
    request = committed().scalar(select(MeetingRequest))
    assert request.status == "pending" and len(request.slots) == 1
    # The recipient's page names the sender, never the sender's address.
    html = client.get(page_of(jan, "/requests")).get_data(as_text=True)
    assert "Amina Rahman" in html and "amina@example.my" not in html
    for email in outbox():
        assert "amina@example.my" not in email.body_text + email.body_html
    response = client.post(
        page_of(jan, f"/requests/{request.id}/accept"),
        data={"slot": str(request.slots[0].id)},
    )
    assert response.status_code == 302
    assert committed().get(MeetingRequest, request.id).status == "accepted"
    subjects = [e.subject for e in committed().scalars(select(OutboundEmail))]
    assert sum("agreed" in s for s in subjects) == 2
    lena = listed(full_name="Lena Schmidt", email="lena@example.de", country="DE")
    assert _send(client, lena, jan).status_code == 302
    second = committed().scalar(
        select(MeetingRequest).where(MeetingRequest.sender_id == lena.id)
    )
    client.post(page_of(jan, f"/requests/{second.id}/decline"))
    assert committed().get(MeetingRequest, second.id).status == "declined"


def test_someone_elses_request_cannot_be_answered(client, amina, jan, listed):
    _send(client, amina, jan)
    request = committed().scalar(select(MeetingRequest))
    lena = listed(full_name="Lena Schmidt")
    response = client.post(
        page_of(lena, f"/requests/{request.id}/accept"),
        data={"slot": str(request.slots[0].id)},
    )
    assert response.status_code == 404
    assert committed().get(MeetingRequest, request.id).status == "pending"


def test_request_form_refuses_a_past_time_next_to_its_field(client, amina, jan):
    response = _send(client, amina, jan, slot_1=field(wall(-2, 9)))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="slot_1-error"' in html
    assert "Shall we talk about compost?" in html
    assert committed().scalar(select(MeetingRequest)) is None


def test_daily_limit_is_shown_on_the_form(app, client, amina, listed):
    app.config["MEETING_REQUEST_DAILY_LIMIT"] = 1
    first, second = listed(full_name="One"), listed(full_name="Two")
    assert _send(client, amina, first).status_code == 302
    response = _send(client, amina, second)
    assert response.status_code == 422
    assert "1 meeting request a day" in response.get_data(as_text=True)


def test_block_and_report_are_committed(client, amina, jan, login, organiser):
    _send(client, amina, jan)
    client.post(page_of(jan, f"/people/{amina.id}/report"), data={"reason": "Spam"})
    (report,) = committed().scalars(select(DirectoryReport))
    assert report.reason == "Spam" and report.reporter_id == jan.id
    client.post(page_of(jan, f"/people/{amina.id}/block"))
    assert committed().scalar(select(DirectoryBlock)).blocked_id == amina.id
    assert "<h3>Amina Rahman</h3>" not in client.get(page_of(jan)).get_data(
        as_text=True
    )
    assert committed().scalar(select(MeetingRequest)).status == "declined"
    login(organiser)
    reports_url = f"/manage/events/{amina.event.slug}/directory/reports"
    html = client.get(reports_url).get_data(as_text=True)
    assert "Spam" in html and "Amina Rahman" in html
    client.post(f"{reports_url}/{report.id}/dismiss")
    assert committed().get(DirectoryReport, report.id).closed_at is not None
    client.post(f"{reports_url}/{report.id}/remove")
    profile = committed().scalar(
        select(DirectoryProfile).where(DirectoryProfile.registration_id == amina.id)
    )
    assert profile.removed_at is not None


def test_manage_page_links_to_the_directory(client, amina):
    html = client.get(page_of(amina).removesuffix("/directory")).get_data(as_text=True)
    assert page_of(amina, "/profile") in html
    assert page_of(amina, "/requests") in html
