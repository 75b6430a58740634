"""From pages only: an organiser account, an event made and published through
the forms, a participant registered through the public form; the organiser
tests a reminder, pauses and resumes the event's messages and cancels a
queued one; the participant unsubscribes with the reminder's one-click link."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderDispatch
from consult.notifications.reminders import enqueue_due_reminders
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from tests.clock import field, wall

ZONE = "Europe/Berlin"


def _rows():
    return list(db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


def _action(html: str, pattern: str) -> str:
    return unescape(re.search(rf'action="([^"]*{pattern}[^"]*)"', html).group(1))


def test_organiser_controls_from_pages_only(
    app, client, organiser, login, smtp_sink, use_smtp
):
    use_smtp(smtp_sink.port)
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Kreislaufstadt Berlin", "timezone": ZONE,
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    visitor = app.test_client()
    registered = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": "Lena Vogel", "email": "lena.vogel@example.de",
              "country": "DE", "timezone": ZONE, "type_key": "civil_society",
              "role": "attendee", "consent_privacy": "y"},
    )  # fmt: skip
    assert registered.status_code == 200
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    week_due = event.start_at - timedelta(days=7)

    # A test of the first reminder, to the organiser, then cancelled from the outbox.
    plan_page = client.get(f"/manage/events/{slug}/notifications/plan")
    html = plan_page.get_data(as_text=True)
    client.post(_action(html, r"/plan/\d+/test"))
    [test] = [r for r in _rows() if r.recipient == "organiser@example.org"]
    assert test.subject.startswith("[Test] ")
    outbox_page = client.get(f"/manage/events/{slug}/notifications")
    assert "Cancel all queued of this kind" in outbox_page.get_data(as_text=True)
    client.post(f"/manage/events/{slug}/notifications/cancel", data={"ids": test.id})
    db.session.refresh(test)
    assert test.status == "withdrawn"
    assert test.last_error.startswith("Cancelled by ")

    # Paused from the plan page: the week reminder is not queued when due.
    client.post(_action(html, "/notifications/pause"))
    paused = client.get(f"/manage/events/{slug}/notifications/plan")
    assert "Paused since" in paused.get_data(as_text=True)
    enqueue_due_reminders(now=week_due + timedelta(minutes=5))
    assert not [r for r in _rows() if r.dedup_key.startswith("reminder:")]

    # Resumed: the engine's next run queues it, with its unsubscribe link.
    client.post(_action(paused.get_data(as_text=True), "/notifications/resume"))
    enqueue_due_reminders(now=week_due + timedelta(hours=1))
    deliver_outbox(now=week_due + timedelta(hours=1))
    reminder = next(
        r.message for r in smtp_sink.handler.received
        if r.rcpt_tos == ["lena.vogel@example.de"]
        and "Coming up in" in r.message["Subject"]
    )  # fmt: skip
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = reminder["List-Unsubscribe"].strip("<>")

    # The participant's mail client unsubscribes with one POST.
    assert visitor.get(urlsplit(link).path).status_code == 200
    done = visitor.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in done.get_data(as_text=True)
    registration = db.session.scalar(select(Registration))
    assert registration.messages_opted_out_at is not None
    enqueue_due_reminders(now=event.start_at - timedelta(hours=23))
    skipped = db.session.scalars(
        select(ReminderDispatch).where(ReminderDispatch.status == "skipped")
    ).all()
    assert [d.reason for d in skipped] == ["unsubscribed from this event's messages"]
