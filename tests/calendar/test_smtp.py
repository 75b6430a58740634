"""What a real SMTP server receives: the MIME shape calendar clients act on."""

from __future__ import annotations

import re

from icalendar import Calendar

from consult.events.services import cancel_event
from consult.extensions import db
from consult.notifications.services import deliver_outbox
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.event_changes import queue_calendar_cancellations
from tests.clock import wall

CALENDAR_TEXT = re.compile(rb"BEGIN:VCALENDAR.*?END:VCALENDAR\r?\n", re.S)


def _deliver(smtp_sink, now):
    db.session.commit()
    deliver_outbox(now=now)
    return smtp_sink.handler.received


def _assert_invite_shape(received, method: str) -> Calendar:
    message = received.message
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    types = [p.get_content_type() for p in alternative.get_payload()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    part = alternative.get_payload()[2]
    assert part.get_param("method") == method
    assert part.get_content_charset() == "utf-8"
    assert part["Content-Transfer-Encoding"] in ("7bit", "8bit")
    assert attachment.get_filename().endswith(".ics")
    assert attachment.get_content_disposition() == "attachment"
    # The part is sent as is: its lines end in CRLF on the wire.
    raw = CALENDAR_TEXT.search(received.content).group(0)
    assert raw.count(b"\n") == raw.count(b"\r\n") > 10
    calendar = Calendar.from_ical(part.get_content())
    assert str(calendar["METHOD"]) == method
    assert Calendar.from_ical(attachment.get_content()).to_ical() == calendar.to_ical()
    return calendar


def test_confirmation_and_cancellation_arrive_as_calendar_clients_expect(
    zoned_event, make_registration, organiser, smtp_sink, use_smtp, now
):
    use_smtp(smtp_sink.port)
    event = zoned_event("Asia/Kuala_Lumpur", wall(21, 16))
    registration = make_registration(event, full_name="Siti Aminah")
    queue_registration_email(registration, "confirmed", now=now)
    _deliver(smtp_sink, now)
    cancel_event(event, organiser, "Postponed to the new year.", now=now)
    queue_calendar_cancellations(event, now=now)
    received = _deliver(smtp_sink, now)
    assert len(received) == 2
    invite = _assert_invite_shape(received[0], "REQUEST")
    cancel = _assert_invite_shape(received[1], "CANCEL")
    first, last = invite.walk("VEVENT")[0], cancel.walk("VEVENT")[0]
    assert first["UID"] == last["UID"] == f"event-{event.id}@consult.test"
    assert last["SEQUENCE"] > first["SEQUENCE"]
    assert str(last["STATUS"]) == "CANCELLED"
    assert str(first["ATTENDEE"]) == f"mailto:{registration.email}"
    assert str(first["ORGANIZER"]) == "mailto:no-reply@consult.example"
