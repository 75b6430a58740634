"""Registrants' own pages and the attendance import commit what they change.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from consult.notifications.models import OutboundEmail
from consult.registration.models import AttendanceImport, Registration
from consult.registration.services import manage_token
from tests.effects import committed, committed_row
from tests.registration.test_attendance_pages import ZOOM, token_in, upload
from tests.registration.test_attendance_pages import url as attendance_url
from tests.registration.test_attendance_services import (
    sample_event,
    sample_registrants,
)
from tests.registration.test_public_pages import form


def _own(reg):
    return f"/events/{reg.event.slug}/registration/{manage_token(reg)}"


def test_registering_is_committed_with_its_email(client, reg_event):
    response = client.post(f"/events/{reg_event.slug}/register", data=form())
    assert response.status_code == 200
    person = committed().scalar(
        select(Registration).where(Registration.email == "jan@example.nl")
    )
    assert person.status == "confirmed"
    mails = committed().scalars(
        select(OutboundEmail).where(OutboundEmail.recipient == "jan@example.nl")
    )
    assert len(mails.all()) == 1


def test_a_resend_from_the_thank_you_page_is_committed(client, reg_event):
    page = client.post(f"/events/{reg_event.slug}/register", data=form()).text
    [action] = re.findall(r'action="([^"]*/registered/[^"]*/resend)"', page)
    assert client.post(action).status_code == 302
    keys = committed().scalars(
        select(OutboundEmail.dedup_key)
        .where(OutboundEmail.recipient == "jan@example.nl")
        .order_by(OutboundEmail.id)
    )
    assert [key.rsplit(":", 1)[-1] for key in keys] == ["confirmed", "resend1"]


def test_own_details_cancel_and_erase_are_committed(
    client, reg_event, make_registration
):
    reg = make_registration(reg_event)
    other = make_registration(reg_event)
    details = {
        "full_name": "Ana Silva",
        "organisation": "Lisboa E-Nova",
        "country": "PT",
        "timezone": "Europe/Lisbon",
        "role": "attendee",
    }
    assert client.post(_own(reg) + "/details", data=details).status_code == 302
    saved = committed_row(Registration, reg.id)
    assert (saved.full_name, saved.country) == ("Ana Silva", "PT")

    client.post(_own(reg) + "/cancel", data={"confirm": "y"})
    assert committed_row(Registration, reg.id).status == "cancelled"

    client.post(_own(other) + "/erase", data={"confirm": "y"})
    erased = committed_row(Registration, other.id)
    assert erased.erased_at is not None and erased.email is None


def test_revoking_the_calendar_feed_is_committed(client, reg_event, make_registration):
    reg = make_registration(reg_event)
    before = reg.feed_nonce
    response = client.post(_own(reg) + "/calendar-feed/revoke")
    assert response.status_code == 302
    assert committed_row(Registration, reg.id).feed_nonce != before


def test_attendance_preview_stores_nothing_and_apply_is_committed(
    client, login, organiser, now
):
    event = sample_event(organiser, now)
    registrants = sample_registrants(event, now)
    login(organiser)
    preview = upload(client, event, ZOOM)
    assert preview.status_code == 200
    assert committed().scalar(select(func.count(AttendanceImport.id))) == 0

    done = client.post(
        attendance_url(event, "/apply"), data={"token": token_in(preview.text)}
    )
    assert done.status_code == 302
    assert committed().scalar(select(func.count(AttendanceImport.id))) == 1
    siti = committed_row(Registration, registrants["Siti Aminah"].id)
    assert (siti.attended, siti.attended_minutes) == (True, 115)


def test_attendance_complete_button_is_committed(client, login, organiser, now, clock):
    from consult.events.models import Event

    event = sample_event(organiser, now)
    sample_registrants(event, now)
    login(organiser)
    page = client.get(attendance_url(event)).text
    assert "This becomes possible once the event has started." in page

    # Before the start: refused, nothing changes.
    refused = client.post(attendance_url(event, "/complete"), follow_redirects=True)
    assert "once the event has started" in refused.text
    assert committed_row(Event, event.id).attendance_completed_at is None

    after = event.end_at + timedelta(hours=1)
    clock.move_to(after)
    login(organiser)
    assert "Attendance is complete" in client.get(attendance_url(event)).text
    done = client.post(attendance_url(event, "/complete"))
    assert done.status_code == 302
    saved = committed_row(Event, event.id)
    assert saved.attendance_completed_via == "organiser"
    assert saved.attendance_completed_at is not None
    assert abs(saved.attendance_completed_at - after) < timedelta(minutes=1)
    assert "Attendance was marked complete" in client.get(attendance_url(event)).text


def test_applying_a_report_completes_the_attendance(client, login, organiser, now):
    from consult.events.models import Event

    event = sample_event(organiser, now)
    sample_registrants(event, now)
    login(organiser)
    preview = upload(client, event, ZOOM)
    client.post(attendance_url(event, "/apply"), data={"token": token_in(preview.text)})
    assert committed_row(Event, event.id).attendance_completed_via == "import"
