"""Dial-in numbers in calendar invites and in the news of a change: for
confirmed people only, like the join link."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from consult.calendar.ics import invite_calendar
from consult.events.services import EventData, update_event
from consult.extensions import db
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.event_changes import (
    calendar_snapshot,
    queue_calendar_updates,
)

NUMBERS = [
    {"country": "GB", "number": "+442079460000", "label": "toll-free"},
    {"country": "MY", "number": "+60321234567", "label": ""},
]


def _description(data: bytes) -> str:
    return str(Calendar.from_ical(data).walk("VEVENT")[0]["DESCRIPTION"])


def test_the_confirmed_persons_invite_describes_the_numbers_theirs_first(
    make_reg_event, make_registration, now, outbox
):
    event = make_reg_event(dial_in_numbers=NUMBERS, dial_in_code="812 3456#")
    person = make_registration(event, email="siti@example.my", country="MY")
    queue_registration_email(person, "confirmed", now=now)
    [email] = [e for e in outbox() if e.recipient == "siti@example.my"]
    [invite] = [a for a in email.attachments if a.disposition == "alternative"]

    description = _description(invite.content)

    assert (
        "Or join by phone:\n"
        "Malaysia: +60 3-2123 4567\n"
        "United Kingdom (toll-free): +44 20 7946 0000\n"
        "Access code: 812 3456#"
    ) in description
    # After the join link, before the agenda and the event's page.
    assert description.index(event.join_url) < description.index("Or join by phone")
    # The meeting's place stays the join link alone.
    location = Calendar.from_ical(invite.content).walk("VEVENT")[0]["LOCATION"]
    assert "7946" not in str(location)


def test_no_numbers_in_a_copy_for_anyone_without_a_seat(
    make_reg_event, make_registration, now
):
    event = make_reg_event(dial_in_numbers=NUMBERS, dial_in_code="812 3456#")
    for status in ("waitlisted", "pending", "cancelled"):
        person = make_registration(event, status=status)
        description = _description(invite_calendar(person, now=now))
        assert "7946" not in description and "812 3456#" not in description
    confirmed = make_registration(event)
    withdrawn = _description(invite_calendar(confirmed, now=now, method="CANCEL"))
    assert "7946" not in withdrawn


def test_new_numbers_reach_the_confirmed_with_an_updated_invite_not_the_waiting(
    make_reg_event, make_registration, organiser, now, outbox
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event, email="siti@example.my", country="MY")
    waiting = make_registration(event, email="ana@example.pt", status="waitlisted")
    before = calendar_snapshot(event)
    later = now + timedelta(hours=1)
    update_event(
        event,
        organiser,
        EventData(
            title=event.title,
            timezone=event.timezone,
            start=event.start_at,
            end=event.end_at,
            join_url=event.join_url,
            capacity=1,
            dial_in_numbers="GB, 020 7946 0000\nMY, 03 2123 4567",
            dial_in_code="4321#",
        ),
        now=later,
    )
    queue_calendar_updates(event, before, now=later)
    db.session.commit()

    updates = {e.recipient: e for e in outbox() if e.dedup_key.startswith("calendar-")}
    told = updates[seated.email]
    assert "The dial-in details have changed: see them below." in told.body_text
    assert told.body_text.index("Malaysia: +60 3-2123 4567") < told.body_text.index(
        "United Kingdom: +44 20 7946 0000"
    )
    assert '<a href="tel:+60321234567">' in told.body_html
    [invite] = [a for a in told.attachments if a.disposition == "alternative"]
    assert "Access code: 4321#" in _description(invite.content)
    other = updates[waiting.email]
    assert "7946" not in other.body_text and "dial-in" not in other.body_text
    assert "4321#" not in other.body_html

    # Taking the numbers away again is news for the confirmed person too.
    before = calendar_snapshot(event)
    update_event(
        event,
        organiser,
        EventData(
            title=event.title,
            timezone=event.timezone,
            start=event.start_at,
            end=event.end_at,
            join_url=event.join_url,
            capacity=1,
        ),
        now=later + timedelta(hours=1),
    )
    queue_calendar_updates(event, before, now=later + timedelta(hours=1))
    db.session.commit()
    last = [e for e in outbox() if e.recipient == seated.email][-1]
    assert "Joining by phone is no longer offered." in last.body_text
    assert "7946" not in last.body_text
