"""Notification pages commit what they change: the reminder plan and retries.

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderPlanItem
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
