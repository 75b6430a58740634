"""The thank-you page after registering: status, times, calendar, address,
"Didn't arrive?" and the next steps; its own link and the resend service."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.challenges.services import (
    ChallengeData,
    WindowData,
    add_challenge,
    update_window,
)
from consult.errors import Conflict
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.services.thanks import (
    MAX_RESENDS,
    RESEND_INTERVAL_SECONDS,
    resend_confirmation,
    thanks_token,
)
from consult.surveys.models import Survey
from consult.timeutil import now_utc
from tests.registration.test_public_pages import form


def _register(client, event, **overrides):
    response = client.post(f"/events/{event.slug}/register", data=form(**overrides))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _resend_action(page: str) -> str:
    [action] = re.findall(r'action="([^"]*/registered/[^"]*/resend)"', page)
    return action


def _rows(registration_id=None):
    query = select(OutboundEmail).order_by(OutboundEmail.id)
    if registration_id is not None:
        query = query.where(OutboundEmail.registration_id == registration_id)
    db.session.expire_all()
    return list(db.session.scalars(query))


def test_a_confirmed_seat_shows_status_times_calendar_and_address(client, reg_event):
    page = _register(client, reg_event, timezone="Europe/Berlin")
    assert "Your seat is confirmed." in page
    # The event's zone with its name and offset, the visitor's, and UTC.
    assert "16:00–18:00 Kuala Lumpur time (UTC+8)" in page
    assert "Event time zone: Asia/Kuala_Lumpur" in page
    assert "Your time (Europe/Berlin):" in page and "09:00–11:00 Berlin time" in page
    assert "08:00–10:00 UTC" in page
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "outlook.live.com/calendar/0/deeplink/compose" in page
    assert f"/events/{reg_event.slug}/calendar.ics" in page
    assert "We have emailed it to jan@example.nl." in page
    assert "Not you?" in page and "Didn’t arrive?" in page
    # No personal link on the page: join and manage links go by email only.
    assert "zoom.example.org" not in page and "/registration/" not in page
    assert "/invite.ics" not in page


def test_without_a_known_other_zone_the_browser_rewrites_the_time(client, reg_event):
    page = _register(client, reg_event, timezone="Asia/Kuala_Lumpur")
    assert "Your time (" not in page
    [element] = re.findall(r'<time class="viewer-time"[^>]*>', page)
    assert 'data-skip-zone="Asia/Kuala_Lumpur"' in element
    assert "data-start=" in element and "hidden" in element
    assert "08:00–10:00 UTC" in page  # what shows without JavaScript


def test_the_waiting_list_page_gives_the_position(
    client, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    page = _register(client, event)
    assert "you are on the waiting list at position 1" in page
    assert "We have emailed it to jan@example.nl." in page


def test_an_event_needing_approval_says_so(client, make_reg_event):
    event = make_reg_event(requires_approval=True)
    page = _register(client, event)
    assert "awaits an organiser’s approval" in page
    assert "Send it again" in page


def test_registering_again_shows_no_page_link(client, reg_event):
    _register(client, reg_event)
    page = _register(client, reg_event)
    assert "already registered" in page and "/registered/" not in page
    assert "submit the registration form again" in page


def test_didnt_arrive_queues_exactly_one_message_and_refuses_the_next(
    client, reg_event
):
    page = _register(client, reg_event)
    action = _resend_action(page)
    [first] = _rows()
    response = client.post(action, data={})
    assert response.status_code == 302
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We have sent it again to jan@example.nl." in again
    rows = _rows(first.registration_id)
    assert [r.dedup_key for r in rows] == [
        f"registration:{first.registration_id}:confirmed",
        f"registration:{first.registration_id}:confirmed:resend1",
    ]
    assert rows[1].recipient == "jan@example.nl" and rows[1].status == "queued"
    refused = client.post(action, data={}, follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "We sent it again less than 2 minutes ago" in text
    assert len(_rows(first.registration_id)) == 2


def test_the_resend_button_needs_no_csrf_token_and_the_page_signs_none(app, reg_event):
    """With CSRF on: registering from the form, the thank-you page carries no
    CSRF token and sets no cookie; its button works from another browser (the
    page's link opened later), its token in the URL being the proof."""
    app.config["WTF_CSRF_ENABLED"] = True
    visitor = app.test_client()
    form_page = visitor.get(f"/events/{reg_event.slug}/register").get_data(as_text=True)
    [token] = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
    response = visitor.post(
        f"/events/{reg_event.slug}/register", data={**form(), "csrf_token": token}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "csrf_token" not in page
    assert "Set-Cookie" not in response.headers
    [first] = _rows()
    other_browser = app.test_client()
    resent = other_browser.post(_resend_action(page), data={})
    assert resent.status_code == 302
    assert [r.dedup_key for r in _rows(first.registration_id)] == [
        f"registration:{first.registration_id}:confirmed",
        f"registration:{first.registration_id}:confirmed:resend1",
    ]
    forged = other_browser.post(
        _resend_action(page).replace("/registered/", "/registered/x"), data={}
    )
    assert forged.status_code == 404
    assert len(_rows(first.registration_id)) == 2


def test_the_page_link_shows_the_page_again_and_checks_its_token(
    client, reg_event, make_reg_event
):
    page = _register(client, reg_event)
    link = _resend_action(page).removesuffix("/resend")
    again = client.get(link)
    assert again.status_code == 200 and "Your seat is confirmed." in again.text
    assert "no-store" in again.headers["Cache-Control"]
    other = make_reg_event(slug="another-event", title="Another")
    assert client.get(link.replace(reg_event.slug, other.slug)).status_code == 404
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.post(link[:-3] + "abc/resend").status_code == 404


def test_the_page_link_expires_and_dies_with_the_manage_nonce(
    app, client, reg_event, make_registration
):
    registration = make_registration(reg_event)
    with app.test_request_context():
        token = thanks_token(registration.id, registration.manage_nonce)
    link = f"/events/{reg_event.slug}/registered/{token}"
    assert client.get(link).status_code == 200
    registration.manage_nonce = secrets.token_urlsafe(16)
    db.session.commit()
    assert client.get(link).status_code == 404


def test_resends_are_limited_in_pace_and_number(reg_event, make_registration, now):
    registration = make_registration(reg_event, status="waitlisted")
    moment = now
    for number in range(1, MAX_RESENDS + 1):
        assert resend_confirmation(registration, now=moment) == registration.email
        db.session.flush()
        if number < MAX_RESENDS:
            with pytest.raises(Conflict, match="less than 2 minutes"):
                resend_confirmation(registration, now=moment + timedelta(seconds=30))
        moment += timedelta(seconds=RESEND_INTERVAL_SECONDS + 1)
    with pytest.raises(Conflict, match="already sent it again 3 times"):
        resend_confirmation(registration, now=moment)
    keys = [r.dedup_key for r in _rows(registration.id)]
    assert keys == [
        f"registration:{registration.id}:waitlisted:resend{n}" for n in (1, 2, 3)
    ]


def test_a_cancelled_registration_is_not_sent_again(reg_event, make_registration, now):
    registration = make_registration(reg_event, status="cancelled")
    with pytest.raises(Conflict, match="no longer active"):
        resend_confirmation(registration, now=now)
    assert _rows(registration.id) == []


def _pre_event_survey(event, now, **fields):
    values = dict(
        event_id=event.id,
        title="What do you expect?",
        kind="pre_event",
        audience="confirmed",
        opens_at=now - timedelta(days=1),
        closes_at=now_utc() + timedelta(days=5),
    )
    values.update(fields)
    survey = Survey(**values)
    db.session.add(survey)
    db.session.commit()
    return survey


def _with_challenges(event, organiser, now, *, window=True):
    add_challenge(event, organiser, ChallengeData("Plastic packaging"), now=now)
    if window:
        update_window(
            event,
            organiser,
            WindowData(now - timedelta(days=1), now_utc() + timedelta(days=5)),
            now=now,
        )
    db.session.commit()


def test_next_steps_list_only_the_manage_page_when_nothing_else_exists(
    client, reg_event
):
    page = _register(client, reg_event)
    steps = page.split('id="next-heading"')[1]
    assert "your personal page, from the link in your message" in steps
    assert "pre-event survey" not in steps and "/challenges" not in steps
    assert "prioritise" not in steps


def test_next_steps_offer_the_open_survey_challenges_and_priorities(
    client, reg_event, organiser, now
):
    _pre_event_survey(reg_event, now)
    _with_challenges(reg_event, organiser, now)
    steps = _register(client, reg_event).split('id="next-heading"')[1]
    assert "Answer the pre-event survey “What do you expect?”" in steps
    assert f'href="/events/{reg_event.slug}/challenges"' in steps
    assert "prioritise them from your personal page" in steps


def test_next_steps_leave_out_what_is_closed_or_not_for_this_person(
    client, make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    _pre_event_survey(event, now)  # for confirmed people: not the waiting list
    _pre_event_survey(event, now, title="Closed one", closes_at=now)
    _with_challenges(event, organiser, now, window=False)
    steps = _register(client, event).split('id="next-heading"')[1]
    assert "pre-event survey" not in steps and "Closed one" not in steps
    assert f'href="/events/{event.slug}/challenges"' in steps
    assert "prioritise" not in steps


def test_a_public_pre_event_survey_is_linked_for_everyone(client, reg_event, now):
    survey = _pre_event_survey(
        reg_event, now, audience="public", public_token="public-token-123"
    )
    steps = _register(client, reg_event).split('id="next-heading"')[1]
    assert f"/events/{reg_event.slug}/surveys/public/public-token-123" in steps
    assert survey.title in steps


def test_the_confirmation_email_lists_the_same_next_steps(
    client, reg_event, organiser, now, outbox
):
    _pre_event_survey(reg_event, now)
    _with_challenges(reg_event, organiser, now)
    _register(client, reg_event)
    [mail] = outbox()
    text = mail.body_text.split("Next steps")[1]
    assert (
        "Answer the pre-event survey: What do you expect? (from your personal page)"
        in text
    )
    assert (
        f"Read the challenges the host city brings: http://consult.test/events/{reg_event.slug}/challenges"
        in text
    )
    assert "prioritise them from your personal page" in text
    assert "Next steps" in mail.body_html and "/challenges" in mail.body_html


def test_an_email_without_next_steps_has_no_such_heading(client, reg_event, outbox):
    _register(client, reg_event)
    [mail] = outbox()
    assert "Next steps" not in mail.body_text and "Next steps" not in mail.body_html


def test_the_page_link_tells_a_later_status_in_words(
    app, client, reg_event, make_registration, now
):
    registration = make_registration(reg_event)
    with app.test_request_context():
        token = thanks_token(registration.id, registration.manage_nonce)
    registration.status = "cancelled"
    db.session.commit()
    page = client.get(f"/events/{reg_event.slug}/registered/{token}").text
    assert "Your registration is cancelled." in page
    refused = client.post(
        f"/events/{reg_event.slug}/registered/{token}/resend", follow_redirects=True
    ).text
    assert "no longer active: nothing to resend" in refused
    assert _rows(registration.id) == []
