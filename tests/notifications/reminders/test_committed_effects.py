"""Notification pages commit what they change: the reminder plan, retries,
the organiser's controls over scheduled messages and one-click unsubscribe.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders import enqueue_due_reminders, ensure_default_plan
from consult.notifications.unsubscribe import list_unsubscribe_url
from consult.registration.models import Registration
from tests.effects import committed, committed_row
from tests.notifications.reminders.test_reminders_routes import _form


def _plan(event):
    return (
        committed()
        .scalars(
            select(ReminderPlanItem)
            .where(ReminderPlanItem.event_id == event.id)
            .order_by(ReminderPlanItem.position)
        )
        .all()
    )


def _failed(email):
    email.status, email.attempts, email.last_error = "failed", 3, "550 no such user"
    db.session.commit()
    return email


def test_reminder_plan_changes_are_committed(client, login, organiser, reg_event):
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/notifications/plan"
    added = client.post(f"{base}/new", data=_form(amount="30", unit="minutes"))
    assert added.status_code == 302
    item = _plan(reg_event)[-1]
    assert (item.offset_minutes, item.enabled) == (-30, True)

    edited = client.post(
        f"{base}/{item.id}", data=_form(amount="45", unit="minutes", subject="Soon")
    )
    assert edited.status_code == 302
    saved = committed_row(ReminderPlanItem, item.id)
    assert (saved.offset_minutes, saved.subject) == (-45, "Soon")

    assert client.post(f"{base}/{item.id}/toggle").status_code == 302
    assert committed_row(ReminderPlanItem, item.id).enabled is False


def test_retries_are_committed(
    client, login, organiser, admin, reg_event, queue_notice
):
    for_event = _failed(queue_notice("retry:event", event=reg_event))
    anywhere = _failed(queue_notice("retry:admin"))

    login(organiser)
    url = f"/manage/events/{reg_event.slug}/notifications/{for_event.id}/retry"
    assert client.post(url).status_code == 302
    assert committed_row(OutboundEmail, for_event.id).status == "queued"

    login(admin)
    assert client.post(f"/manage/outbox/{anywhere.id}/retry").status_code == 302
    assert committed_row(OutboundEmail, anywhere.id).status == "queued"


def test_organiser_controls_are_committed(
    client, login, organiser, reg_event, make_registration, now
):
    item = ensure_default_plan(reg_event, now=now)[0]
    make_registration(reg_event)
    enqueue_due_reminders(now=reg_event.start_at - timedelta(days=7, minutes=-1))
    [reminder] = db.session.scalars(select(OutboundEmail)).all()
    login(organiser)
    base = f"/manage/events/{reg_event.slug}/notifications"

    assert client.post(f"{base}/pause").status_code == 302
    assert committed_row(Event, reg_event.id).messages_paused_at is not None
    assert client.post(f"{base}/resume").status_code == 302
    assert committed_row(Event, reg_event.id).messages_paused_at is None

    assert client.post(f"{base}/plan/{item.id}/test").status_code == 302
    tests = committed().scalars(
        select(OutboundEmail).where(OutboundEmail.dedup_key.startswith("test:"))
    )
    assert [t.recipient for t in tests] == ["organiser@example.org"]

    cancelled = client.post(f"{base}/cancel", data={"ids": str(reminder.id)})
    assert cancelled.status_code == 302
    assert committed_row(OutboundEmail, reminder.id).status == "withdrawn"


def test_one_click_unsubscribe_is_committed(client, reg_event, make_registration):
    registration = make_registration(reg_event)
    path = urlsplit(list_unsubscribe_url(registration)).path

    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    saved = committed_row(Registration, registration.id)
    assert saved.messages_opted_out_at is not None
