"""Reminders by SMS: the plan item's SMS text, its counter, and the engine."""

from __future__ import annotations

import pathlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders import enqueue_due_reminders, ensure_default_plan
from consult.notifications.reminders.plans import due_at
from consult.notifications.services import deliver_outbox
from consult.notifications.sms.segments import count_segments
from consult.notifications.withdrawals import retime_queued_reminders
from consult.timeutil import now_utc
from tests.effects import committed

from .test_phone_registration import MOBILE, form

SMS_TEXT = "{event_title} starts {start_local}. Your link: {manage_link}"


def _plan_form(**changes):
    values = {
        "kind": "reminder",
        "amount": "1",
        "unit": "days",
        "when": "before_start",
        "audience": "confirmed",
        "subject": "",
        "body": "",
        "sms_body": SMS_TEXT,
        "enabled": "y",
        "save": "Save",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # each takes the escape and itself
        ("Café à Genève", "GSM-7", 13, 1),
        ("Hội thảo" + "a" * 62, "UCS-2", 70, 1),
        ("Hội thảo" + "a" * 63, "UCS-2", 71, 2),
        ("논의" * 67, "UCS-2", 134, 2),
        ("논의" * 67 + "x", "UCS-2", 135, 3),
        ("👍", "UCS-2", 2, 1),  # outside the BMP: two UTF-16 units
    ],
)
def test_segments_are_counted_as_gateways_count_them(text, encoding, units, segments):
    counted = count_segments(text)
    assert (counted.encoding, counted.units, counted.segments) == (
        encoding,
        units,
        segments,
    )


def test_the_editor_saves_the_sms_text_and_counts_it(
    client, login, organiser, reg_event, now
):
    item = ensure_default_plan(reg_event, now=now)[1]
    db.session.commit()
    login(organiser)
    url = f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}"
    response = client.post(url, data=_plan_form())
    assert response.status_code == 302
    assert committed().get(ReminderPlanItem, item.id).sms_body == SMS_TEXT
    page = client.get(url).get_data(as_text=True)
    assert 'data-sms-counter="sms_body-count"' in page and "sms-counter.js" in page
    # The braces of the placeholders are GSM-7's escaped characters (2 each).
    assert f"Length {len(SMS_TEXT) + 6}, GSM-7, SMS parts: 1" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 460, "longer than 459 characters"),
        ("Hi {nickname}", "Unknown placeholder"),
    ],
)
def test_a_bad_sms_text_is_refused_next_to_its_field(
    client, login, organiser, reg_event, now, text, message
):
    item = ensure_default_plan(reg_event, now=now)[1]
    db.session.commit()
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_plan_form(sms_body=text),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="sms_body-error"' in page and message in page
    assert committed().get(ReminderPlanItem, item.id).sms_body == ""


def test_a_reminder_goes_by_sms_to_people_who_chose_it(
    app, client, login, organiser, reg_event, now
):
    item = ensure_default_plan(reg_event, now=now)[1]
    db.session.commit()
    login(organiser)
    client.post(
        f"/manage/events/{reg_event.slug}/notifications/plan/{item.id}",
        data=_plan_form(),
    )
    client.get("/auth/logout")
    # One person by phone alone (in Malay), one by email alone.
    client.post(f"/events/{reg_event.slug}/register", data=form(language="ms"))
    client.post(
        f"/events/{reg_event.slug}/register",
        data=form(email="ana@example.org", phone="", consent_sms="", language="en"),
    )
    deliver_outbox(now=now_utc())  # the confirmations
    db.session.commit()
    item = db.session.get(ReminderPlanItem, item.id)
    due = due_at(item, item.event)

    report = enqueue_due_reminders(now=due)
    db.session.commit()
    rows = (
        committed()
        .scalars(
            select(OutboundEmail)
            .where(OutboundEmail.template.in_(["reminder", "sms_reminder"]))
            .order_by(OutboundEmail.id)
        )
        .all()
    )
    assert report.queued == 2
    assert sorted((r.channel, r.recipient) for r in rows) == [
        ("email", "ana@example.org"),
        ("sms", MOBILE),
    ]
    deliver_outbox(now=due)
    db.session.commit()
    [sms] = [r for r in committed().scalars(select(OutboundEmail)).all()
             if r.template == "sms_reminder"]  # fmt: skip
    assert sms.status == "sent" and sms.language == "ms"
    assert sms.body_text.startswith(reg_event.title + " starts ")
    assert "/r/" in sms.body_text and "{" not in sms.body_text
    written = [
        p.read_text(encoding="utf-8")
        for p in pathlib.Path(app.instance_path, "sms").glob("*.txt")
    ]
    assert any(sms.body_text in text for text in written)


def test_without_an_sms_text_a_phone_only_person_is_skipped(client, reg_event, now):
    item = ensure_default_plan(reg_event, now=now)[1]
    db.session.commit()
    client.post(f"/events/{reg_event.slug}/register", data=form())
    report = enqueue_due_reminders(now=due_at(item, reg_event))
    db.session.commit()
    assert report.queued == 0 and report.reasons.get("no email address") == 1


def test_a_queued_sms_reminder_waits_for_a_moved_event(client, reg_event, now):
    """Moved two days later while its SMS reminder waits in the outbox: the SMS
    follows the new moment (it was withdrawn as 'not due yet' and never sent)."""
    item = ensure_default_plan(reg_event, now=now)[1]
    item.sms_body = SMS_TEXT
    db.session.commit()
    client.post(f"/events/{reg_event.slug}/register", data=form())
    deliver_outbox(now=now_utc())  # the confirmation
    db.session.commit()
    old_due = due_at(item, reg_event)
    assert enqueue_due_reminders(now=old_due).queued == 1
    db.session.commit()

    reg_event.start_at += timedelta(days=2)
    reg_event.end_at += timedelta(days=2)
    retime_queued_reminders(reg_event)
    db.session.commit()
    new_due = due_at(item, reg_event)

    def sms():
        return committed().scalar(
            select(OutboundEmail).where(OutboundEmail.template == "sms_reminder")
        )

    assert (sms().next_attempt_at, sms().send_before) == (new_due, reg_event.start_at)
    deliver_outbox(now=old_due + timedelta(minutes=1))
    db.session.commit()
    assert sms().status == "queued"
    deliver_outbox(now=new_due)
    db.session.commit()
    assert sms().status == "sent" and sms().recipient == MOBILE
