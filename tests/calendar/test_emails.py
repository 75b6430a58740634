"""Invites by email: who gets one, updates once per change, cancellations."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar

from consult.events.services import EventData, cancel_event, update_event
from consult.extensions import db
from consult.registration.services import cancel_registration
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.event_changes import (
    calendar_snapshot,
    queue_calendar_cancellations,
    queue_calendar_updates,
)
from tests.calendar.conftest import JOIN_URL


def _calendar_parts(email) -> dict[str, object]:
    return {a.disposition: a for a in email.attachments}


def _invite(email) -> Calendar:
    return Calendar.from_ical(_calendar_parts(email)["alternative"].content)


def _edit(event, organiser, now, **changes):
    now = now + timedelta(hours=1)  # after the fixtures confirmed the registrants
    values = dict(
        title=event.title,
        timezone=event.timezone,
        start=datetime(2027, 3, 29, 10, 0),
        end=datetime(2027, 3, 29, 12, 0),
        summary=event.summary,
        join_url=event.join_url,
        capacity=event.capacity,
    )
    values.update(changes)
    before = calendar_snapshot(event)
    update_event(event, organiser, EventData(**values), now=now)
    queued = queue_calendar_updates(event, before, now=now)
    db.session.commit()
    return queued


def _queued(outbox, registration, kind):
    """The registration's email of this kind, composed as the sender composes it."""
    key = f"registration:{registration.id}:{kind}"
    return next(e for e in outbox() if e.dedup_key == key)


def test_confirmation_carries_a_request_with_the_join_link(
    zoned_event, make_registration, now, outbox
):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 29, 10, 0))
    registration = make_registration(event, email="ana@example.org")
    queue_registration_email(registration, "confirmed", now=now)
    email = _queued(outbox, registration, "confirmed")
    parts = _calendar_parts(email)
    assert parts["alternative"].content_type == (
        "text/calendar; method=REQUEST; charset=UTF-8"
    )
    assert parts["attachment"].filename == "invite.ics"
    assert parts["attachment"].content == parts["alternative"].content
    calendar = _invite(email)
    assert str(calendar["METHOD"]) == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["ATTENDEE"]) == "mailto:ana@example.org"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert JOIN_URL in str(vevent["DESCRIPTION"])


def test_waitlisted_and_pending_people_get_no_invite(
    reg_event, make_registration, now, outbox
):
    for status in ("waitlisted", "pending"):
        registration = make_registration(reg_event, status=status)
        assert queue_registration_email(registration, status, now=now)
        email = _queued(outbox, registration, status)
        assert email.body_text and email.attachments == []
        assert JOIN_URL not in email.body_text


def test_promotion_sends_an_invite_and_the_leaver_a_cancel(
    zoned_event, make_registration, now, outbox
):
    event = zoned_event("Asia/Kuala_Lumpur", datetime(2026, 12, 15, 16, 0), capacity=1)
    leaver = make_registration(event)
    waiting = make_registration(event, status="waitlisted")
    promoted = cancel_registration(leaver, now=now)
    db.session.commit()
    assert promoted == [waiting]
    emails = {e.recipient: e for e in outbox()}
    promotion = _invite(emails[waiting.email])
    assert str(promotion["METHOD"]) == "REQUEST"
    cancel = _invite(emails[leaver.email])
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancel.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    invite_sequence = promotion.walk("VEVENT")[0]["SEQUENCE"]
    assert cancel.walk("VEVENT")[0]["SEQUENCE"] > invite_sequence
    assert _calendar_parts(emails[leaver.email])["alternative"].content_type == (
        "text/calendar; method=CANCEL; charset=UTF-8"
    )


def _outbox_rows():
    from sqlalchemy import select

    from consult.notifications.models import OutboundEmail

    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


def test_an_update_goes_to_everyone_concerned_once_per_change(
    zoned_event, make_registration, organiser, now
):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 26, 10, 0), capacity=1)
    confirmed = make_registration(event, timezone="Asia/Kuala_Lumpur")
    waiting = make_registration(event, status="waitlisted")
    pending = make_registration(event, status="pending")
    queued = _edit(event, organiser, now)
    assert [e.recipient for e in queued] == [
        confirmed.email,
        waiting.email,
        pending.email,
    ]
    # Waiting and pending people hear of the move without link or invite.
    for unseated in queued[1:]:
        assert unseated.attachments == []
        assert "New time" in unseated.body_text
        assert "no calendar invite is attached" in unseated.body_text
        assert JOIN_URL not in unseated.body_text + unseated.body_html
    email = queued[0]
    assert JOIN_URL in email.body_text
    assert email.dedup_key == f"calendar-update:{event.id}:1:{confirmed.id}"
    assert "New time" in email.body_text and "In your time zone" in email.body_text
    vevent = _invite(email).walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == 1
    # The same change reported twice (a retried request) queues nothing new.
    before = calendar_snapshot(event)
    object.__setattr__(before, "sequence", 0)
    again = queue_calendar_updates(event, before, now=now + timedelta(minutes=1))
    assert [e.id for e in again] == [e.id for e in queued]
    assert len([e for e in _outbox_rows() if e.template == "calendar_update"]) == 3


def test_an_edit_that_changes_nothing_a_calendar_shows_sends_nothing(
    zoned_event, make_registration, organiser, now
):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 29, 10, 0))
    make_registration(event)
    assert _edit(event, organiser, now, summary="Another summary") == []


def test_uid_is_stable_and_sequence_rises_until_the_cancellation(
    zoned_event, make_registration, organiser, parse_both, now, outbox
):
    event = zoned_event("Europe/Berlin", datetime(2027, 3, 26, 10, 0))
    registration = make_registration(event)
    queue_registration_email(registration, "confirmed", now=now)
    # Composed (as the sender composes it when its turn comes) before the edit.
    confirmation = _queued(outbox, registration, "confirmed")
    db.session.commit()
    update = _edit(event, organiser, now, title="Circular Cities, new date")[0]
    # Both left: the person holds the copy that the cancellation removes.
    for email in (confirmation, update):
        email.status = "sent"
    db.session.commit()
    cancel_event(event, organiser, "The venue closed.", now=now)
    cancellation = queue_calendar_cancellations(event, now=now)[0]
    db.session.commit()
    seen = []
    for email, method in (
        (confirmation, "REQUEST"),
        (update, "REQUEST"),
        (cancellation, "CANCEL"),
    ):
        part = _calendar_parts(email)["alternative"]
        assert f"method={method};" in part.content_type
        calendar, icaljs = parse_both(part.content)
        assert str(calendar["METHOD"]) == icaljs["method"] == method
        (js_event,) = icaljs["events"]
        seen.append((js_event["uid"], js_event["sequence"], js_event["status"]))
    uid = f"event-{event.id}@consult.test"
    assert seen == [(uid, 0, "CONFIRMED"), (uid, 1, "CONFIRMED"), (uid, 2, "CANCELLED")]
    assert "The venue closed." in cancellation.body_text
    assert JOIN_URL not in cancellation.attachments[0].content.decode()
