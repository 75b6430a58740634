"""HTTP: the public .ics, links on the pages, personal downloads, private feeds."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from consult.calendar.feeds import feed_token
from consult.events.services import SessionData, add_session
from consult.extensions import db
from consult.registration.services import manage_token
from tests.calendar.conftest import JOIN_URL
from tests.clock import field, wall
from tests.registration.confirming import confirm_event_edit


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def test_public_calendar_file(client, zoned_event, organiser, now):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 29, 10, 0))
    add_session(
        event,
        organiser,
        SessionData(
            title="Repair cafés",
            start=datetime(2027, 3, 29, 10, 30),
            end=datetime(2027, 3, 29, 11, 0),
        ),
        now=now,
    )
    db.session.commit()
    response = client.get(f"/events/{event.slug}/calendar.ics")
    calendar = _calendar(response)
    assert b"\r\n" in response.data
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.start_at
    assert str(vevent["LOCATION"]) == "Online"
    assert str(vevent["URL"]) == f"http://consult.test/events/{event.slug}"
    assert "Repair cafés" in vevent.decoded("description")
    with_sessions = _calendar(
        client.get(f"/events/{event.slug}/calendar.ics?sessions=1")
    )
    summaries = [str(v["SUMMARY"]) for v in with_sessions.walk("VEVENT")]
    assert summaries == [event.title, f"Repair cafés · {event.title}"]
    for path in ("calendar.ics", "calendar.ics?sessions=1"):
        assert JOIN_URL.encode() not in client.get(f"/events/{event.slug}/{path}").data


def test_drafts_have_no_public_file(client, make_reg_event):
    draft = make_reg_event(publish=False)
    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404


def test_event_page_links_to_calendars(client, zoned_event):
    event = zoned_event("Asia/Kuala_Lumpur", datetime(2026, 12, 15, 16, 0))
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'href="/events/{event.slug}/calendar.ics"' in html
    assert "Add to Google Calendar" in html and "Add to Outlook.com" in html
    google = html.split("https://calendar.google.com/", 1)[1].split('"', 1)[0]
    query = parse_qs(urlsplit("https://x/" + google.replace("&amp;", "&")).query)
    assert query["dates"] == ["20261215T080000Z/20261215T100000Z"]
    assert JOIN_URL not in html


def test_manage_page_offers_the_invite_and_the_feed(
    client, reg_event, make_registration
):
    registration = make_registration(reg_event)
    token = manage_token(registration)
    html = client.get(f"/events/{reg_event.slug}/registration/{token}").get_data(
        as_text=True
    )
    assert "Add to calendar (.ics)" in html
    assert f"/calendar/feed/{feed_token(registration)}.ics" in html
    invite = _calendar(
        client.get(f"/events/{reg_event.slug}/registration/{token}/invite.ics")
    )
    assert str(invite["METHOD"]) == "REQUEST"
    assert reg_event.join_url in invite.walk("VEVENT")[0].decoded("description")


def test_people_without_a_seat_get_no_invite_file(client, reg_event, make_registration):
    registration = make_registration(reg_event, status="waitlisted")
    token = manage_token(registration)
    html = client.get(f"/events/{reg_event.slug}/registration/{token}").get_data(
        as_text=True
    )
    assert "Add to calendar (.ics)" not in html
    url = f"/events/{reg_event.slug}/registration/{token}/invite.ics"
    assert client.get(url).status_code == 404


def test_feed_lists_confirmed_events_and_revoking_closes_it(
    client, make_reg_event, make_registration, now
):
    first = make_reg_event(title="First webinar")
    second = make_reg_event(title="Second webinar")
    third = make_reg_event(title="Waiting webinar")
    mine = make_registration(first, email="ana@example.org")
    make_registration(second, email="ana@example.org")
    make_registration(third, email="ana@example.org", status="waitlisted")
    make_registration(third, email="someone@example.org")
    old_url = f"/calendar/feed/{feed_token(mine)}.ics"
    response = client.get(old_url)
    calendar = _calendar(response)
    assert response.headers["Cache-Control"] == "no-store"
    titles = sorted(str(v["SUMMARY"]) for v in calendar.walk("VEVENT"))
    assert titles == ["First webinar", "Second webinar"]
    assert first.join_url.encode() not in response.data
    token = manage_token(mine)
    revoked = client.post(
        f"/events/{first.slug}/registration/{token}/calendar-feed/revoke"
    )
    assert revoked.status_code == 302
    assert client.get(old_url).status_code == 404
    db.session.refresh(mine)
    assert client.get(f"/calendar/feed/{feed_token(mine)}.ics").status_code == 200
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_cancelling_the_event_tells_confirmed_and_waiting_people(
    client, login, organiser, reg_event, make_registration, outbox
):
    confirmed = make_registration(reg_event)
    waiting = make_registration(reg_event, status="waitlisted")
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/cancel", data={"reason": "Postponed."}
    )
    assert response.status_code == 302
    cancels = [e for e in outbox() if e.template == "calendar_cancelled"]
    assert [e.recipient for e in cancels] == [confirmed.email, waiting.email]
    assert b"METHOD:CANCEL" in cancels[0].attachments[0].content
    # The waiting person hears of it too, with nothing to remove from a calendar.
    assert cancels[1].attachments == []
    assert "Postponed." in cancels[1].body_text


def test_editing_the_time_queues_updates(
    client, login, organiser, reg_event, make_registration, outbox, now
):
    confirmed = make_registration(reg_event, confirmed_at=now - timedelta(days=1))
    login(organiser)
    form = {
        "title": reg_event.title,
        "slug": reg_event.slug,
        "timezone": "Asia/Kuala_Lumpur",
        "start": field(wall(22, 16)),
        "end": field(wall(22, 18)),
        "join_url": reg_event.join_url,
        "capacity": "100",
    }
    shown = client.post(f"/manage/events/{reg_event.slug}/edit", data=form).text
    assert "This emails 1 person the change" in shown
    assert [e for e in outbox() if e.template == "calendar_update"] == []
    response = confirm_event_edit(client, f"/manage/events/{reg_event.slug}/edit", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    updates = [e for e in outbox() if e.template == "calendar_update"]
    assert [e.recipient for e in updates] == [confirmed.email]
    assert b"SEQUENCE:1" in updates[0].attachments[0].content
