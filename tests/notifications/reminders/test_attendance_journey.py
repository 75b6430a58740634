"""From an empty database and an organiser account, through the pages only:
an event is created and published, two people register, one is checked in
during the webinar (no follow-up yet), the organiser declares the attendance
complete on the attendance page, and the scheduler's job sends each person
exactly one follow-up: thanks to the one who came, sorry to the other."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.events.models import Event
from consult.notifications.reminders import enqueue_due_reminders
from consult.registration.models import Registration
from tests.effects import committed
from tests.events.test_manage_pages import FORM
from tests.registration.test_public_pages import form


def test_an_organiser_completes_the_attendance_from_the_pages(
    client, login, organiser, outbox, clock
):
    login(organiser)
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    slug = "circular-design-clinic"
    base = f"/manage/events/{slug}"
    assert client.post(f"{base}/publish").status_code == 302
    for name, email in (("Siti Aminah", "siti@example.my"),
                        ("Jan de Vries", "jan@example.nl")):  # fmt: skip
        registered = client.post(
            f"/events/{slug}/register", data=form(full_name=name, email=email)
        )
        assert registered.status_code == 200
    event = committed().scalar(select(Event).where(Event.slug == slug))
    siti = committed().scalar(
        select(Registration).where(Registration.email == "siti@example.my")
    )

    # During the webinar: one check-in. It is not the attendance.
    clock.move_to(event.start_at + timedelta(minutes=20))
    login(organiser)
    client.post(f"{base}/registrations/{siti.id}/check-in", data={"checked_in": "1"})
    assert committed().get(Registration, siti.id).checked_in_at is not None

    thanks_due = event.end_at + timedelta(hours=2)
    clock.move_to(thanks_due + timedelta(minutes=1))
    enqueue_due_reminders(now=thanks_due + timedelta(minutes=1))
    assert [e for e in outbox() if e.template == "follow_up"] == []
    login(organiser)
    page = client.get(f"{base}/notifications/plan").get_data(as_text=True)
    assert "Waiting for attendance" in page

    # The organiser declares it complete; the next run sends the follow-ups.
    login(organiser)
    dashboard = client.get(f"{base}/dashboard").get_data(as_text=True)
    assert "emails are waiting" in dashboard
    attendance = client.get(f"{base}/attendance").get_data(as_text=True)
    assert "Attendance is complete" in attendance
    done = client.post(f"{base}/attendance/complete", follow_redirects=True)
    assert "Attendance is marked complete" in done.text
    event = committed().get(Event, event.id)
    assert event.attendance_completed_via == "organiser"
    plan_items = client.get(f"{base}/notifications/plan").get_data(as_text=True)
    assert "only the latest one is sent" in plan_items

    later = thanks_due + timedelta(minutes=5)
    clock.move_to(later)
    enqueue_due_reminders(now=later)
    follow_ups = {e.recipient: e.subject for e in outbox() if e.template == "follow_up"}
    assert follow_ups == {
        "siti@example.my": "Thank you for joining Circular Design Clinic",
        "jan@example.nl": "Sorry we missed you at Circular Design Clinic",
    }
