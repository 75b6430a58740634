"""A registrant's invite.ics after the event is cancelled withdraws it."""

from __future__ import annotations

from icalendar import Calendar

from consult.calendar.ics import invite_calendar
from consult.events.services import cancel_event
from consult.extensions import db
from consult.registration.services import manage_token
from tests.clock import wall


def _vevent(data: bytes):
    calendar = Calendar.from_ical(data)
    [vevent] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), vevent


def test_invite_of_a_cancelled_event_is_a_cancellation(
    zoned_event, make_registration, organiser, now
):
    event = zoned_event("Europe/Berlin", wall(30, 10))
    registration = make_registration(event)
    method, invite = _vevent(invite_calendar(registration, now=now))
    assert method == "REQUEST"
    cancel_event(event, organiser, "Postponed to the new year.", now=now)
    db.session.commit()
    method, cancelled = _vevent(invite_calendar(registration, now=now))
    assert method == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["UID"] == invite["UID"]
    assert cancelled["SEQUENCE"] > invite["SEQUENCE"]
    assert "zoom.example.org" not in str(cancelled["DESCRIPTION"])


def test_downloaded_invite_after_cancellation_over_http(
    zoned_event, make_registration, organiser, client, parse_both, now
):
    event = zoned_event("Asia/Kuala_Lumpur", wall(30, 16))
    registration = make_registration(event)
    url = f"/events/{event.slug}/registration/{manage_token(registration)}/invite.ics"
    before = client.get(url)
    assert before.status_code == 200
    _calendar, before_js = parse_both(before.data)
    assert before_js["method"] == "REQUEST"
    cancel_event(event, organiser, "Postponed to the new year.", now=now)
    db.session.commit()
    after = client.get(url)
    assert after.status_code == 200
    calendar, after_js = parse_both(after.data)
    # Thunderbird's parser reads the cancellation as well as icalendar does.
    assert after_js["method"] == str(calendar["METHOD"]) == "CANCEL"
    [old], [new] = before_js["events"], after_js["events"]
    assert new["status"] == "CANCELLED"
    assert new["uid"] == old["uid"] == calendar.walk("VEVENT")[0]["UID"]
    assert new["sequence"] > old["sequence"]
