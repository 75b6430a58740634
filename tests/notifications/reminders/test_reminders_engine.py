"""The reminder engine: defaults, due times, skips with reasons, idempotence."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import ReminderDispatch, ReminderPlanItem
from consult.notifications.reminders import (
    DEFAULT_PLAN,
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)


def _plan(event, now):
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def _dispatches(item=None):
    query = select(ReminderDispatch).order_by(ReminderDispatch.id)
    if item is not None:
        query = query.where(ReminderDispatch.plan_item_id == item.id)
    return list(db.session.scalars(query))


def _reminder_emails(outbox):
    return [e for e in outbox() if e.dedup_key.startswith("reminder:")]


def test_default_plan_is_created_once(reg_event, now):
    first = _plan(reg_event, now)
    again = ensure_default_plan(reg_event, now=now)

    assert [i.id for i in again] == [i.id for i in first]
    assert [(i.kind, i.anchor, i.offset_minutes, i.audience) for i in first] == list(
        DEFAULT_PLAN
    )
    assert all(i.enabled and i.type_keys == [] for i in first)


def test_due_times_follow_the_event_when_it_moves(reg_event, now):
    week, day, hour, thanks, sorry, nudge = _plan(reg_event, now)
    start, end = reg_event.start_at, reg_event.end_at

    assert due_at(week, reg_event) == start - timedelta(days=7)
    assert due_at(hour, reg_event) == start - timedelta(hours=1)
    assert due_at(thanks, reg_event) == end + timedelta(hours=2)
    assert due_at(nudge, reg_event) == end + timedelta(days=1)

    reg_event.start_at += timedelta(days=3)
    reg_event.end_at += timedelta(days=3)
    assert due_at(week, reg_event) == start + timedelta(days=3) - timedelta(days=7)


def test_a_reminder_goes_once_when_due(reg_event, make_registration, now, outbox):
    week = _plan(reg_event, now)[0]
    person = make_registration(reg_event, "siti@example.my")
    due = due_at(week, reg_event)

    assert enqueue_due_reminders(now=due - timedelta(minutes=1)).queued == 0
    first = enqueue_due_reminders(now=due)
    second = enqueue_due_reminders(now=due + timedelta(hours=1))

    assert (first.queued, second.queued) == (1, 0)
    [email] = _reminder_emails(outbox)
    assert email.dedup_key == f"reminder:{week.id}:{person.id}"
    assert email.recipient == "siti@example.my"
    assert email.subject == "Coming up in 1 week: Designing Circular Cities"
    [dispatch] = _dispatches(week)
    assert (dispatch.status, dispatch.email_id) == ("queued", email.id)


def test_moving_the_event_retimes_unsent_reminders(
    reg_event, make_registration, now, outbox
):
    week = _plan(reg_event, now)[0]
    make_registration(reg_event)
    old_due = due_at(week, reg_event)
    reg_event.start_at += timedelta(days=5)
    reg_event.end_at += timedelta(days=5)
    db.session.commit()

    assert enqueue_due_reminders(now=old_due).queued == 0
    assert enqueue_due_reminders(now=old_due + timedelta(days=5)).queued == 1


def test_a_reminder_is_never_sent_after_the_start(
    reg_event, make_registration, now, outbox
):
    _plan(reg_event, now)
    make_registration(reg_event)

    report = enqueue_due_reminders(now=reg_event.start_at + timedelta(minutes=5))

    assert report.queued == 0
    assert report.reasons == {"event already started": 3}
    assert _reminder_emails(outbox) == []
    assert {d.reason for d in _dispatches()} == {"event already started"}


def test_a_late_registrant_does_not_get_earlier_reminders(
    reg_event, make_registration, now, outbox
):
    week, day, hour = _plan(reg_event, now)[:3]
    # Seated two days after the 7-day reminder's moment: past its 42 hours.
    seated = due_at(week, reg_event) + timedelta(days=2)
    late = make_registration(
        reg_event, "late@example.org", created_at=seated, confirmed_at=seated
    )

    enqueue_due_reminders(now=seated + timedelta(minutes=1))
    enqueue_due_reminders(now=due_at(day, reg_event))
    enqueue_due_reminders(now=due_at(hour, reg_event))

    by_item = {d.plan_item_id: d for d in _dispatches() if d.registration_id == late.id}
    assert by_item[week.id].status == "skipped"
    assert by_item[week.id].reason == "got their seat after this reminder was due"
    assert by_item[day.id].status == by_item[hour.id].status == "queued"


def test_after_an_outage_only_the_latest_due_reminder_goes(
    reg_event, make_registration, now, outbox
):
    week, day, hour = _plan(reg_event, now)[:3]
    people = [make_registration(reg_event) for _ in range(3)]

    # Down since before the 7-day reminder; back 10 minutes after the 1-hour
    # one fell due (within its 15 minutes).
    back = due_at(hour, reg_event) + timedelta(minutes=10)
    report = enqueue_due_reminders(now=back)
    again = enqueue_due_reminders(now=back + timedelta(minutes=1))

    assert (report.queued, report.skipped, again.queued, again.skipped) == (3, 6, 0, 0)
    assert report.reasons == {"a later reminder is due": 6}
    keys = {e.dedup_key for e in _reminder_emails(outbox)}
    assert keys == {f"reminder:{hour.id}:{p.id}" for p in people}

    # An outage past the start: what was not decided yet is skipped, and says so.
    other = make_registration(reg_event, created_at=now - timedelta(days=30))
    late = enqueue_due_reminders(now=reg_event.start_at + timedelta(hours=1))
    assert (late.queued, late.skipped) == (0, 3)
    assert {d.reason for d in _dispatches() if d.registration_id == other.id} == {
        "event already started"
    }


def test_follow_ups_wait_for_attendance_then_split_attendees_and_absentees(
    reg_event, make_registration, now, outbox
):
    thanks, sorry, nudge = _plan(reg_event, now)[3:]
    came = make_registration(reg_event, "came@example.org")
    missed = make_registration(reg_event, "missed@example.org")
    after = due_at(thanks, reg_event)

    assert enqueue_due_reminders(now=after).queued == 0  # no attendance yet

    came.attended = True
    reg_event.attendance_completed_at = after
    db.session.commit()
    enqueue_due_reminders(now=after + timedelta(hours=1))

    emails = {e.dedup_key: e for e in _reminder_emails(outbox)}
    assert emails[f"reminder:{thanks.id}:{came.id}"].subject.startswith("Thank you")
    assert emails[f"reminder:{sorry.id}:{missed.id}"].subject.startswith("Sorry")
    assert f"reminder:{thanks.id}:{missed.id}" not in emails
    assert f"reminder:{sorry.id}:{came.id}" not in emails


def test_organisers_are_nudged_when_no_attendance_was_recorded(
    reg_event, make_registration, now, outbox, organiser
):
    nudge = _plan(reg_event, now)[5]
    make_registration(reg_event)

    enqueue_due_reminders(now=due_at(nudge, reg_event))

    [email] = [e for e in _reminder_emails(outbox) if e.template.endswith("nudge")]
    assert email.recipient == organiser.email
    assert email.dedup_key == f"reminder:{nudge.id}:u{organiser.id}"
    assert "/manage/events/" in email.body_text


def test_no_nudge_once_attendance_is_imported(reg_event, now, outbox):
    nudge = _plan(reg_event, now)[5]
    reg_event.attendance_completed_at = reg_event.end_at
    reg_event.attendance_completed_via = "import"
    db.session.commit()

    report = enqueue_due_reminders(now=due_at(nudge, reg_event))

    assert report.reasons == {"attendance already recorded": 1}


def test_stakeholder_types_narrow_the_audience(
    reg_event, make_registration, now, outbox
):
    hour = _plan(reg_event, now)[2]
    hour.type_keys = ["research"]
    db.session.commit()
    make_registration(reg_event, "gov@example.org", type_key="government")
    researcher = make_registration(reg_event, "uni@example.org", type_key="research")

    enqueue_due_reminders(now=due_at(hour, reg_event))

    assert [e.recipient for e in _reminder_emails(outbox) if f":{hour.id}:" in
            e.dedup_key] == [researcher.email]  # fmt: skip


def test_times_show_both_zones_and_disabled_items_send_nothing(
    reg_event, make_registration, now, outbox
):
    week, day, hour = _plan(reg_event, now)[:3]
    week.enabled = False
    db.session.commit()
    make_registration(reg_event, timezone="Europe/Berlin")

    enqueue_due_reminders(now=due_at(hour, reg_event))

    emails = _reminder_emails(outbox)
    assert len(emails) == 1  # the 1-day one is superseded by the 1-hour one
    # 16:00 in Kuala Lumpur is 09:00 CET (10:00 CEST) in Berlin, that day.
    berlin = reg_event.start_at.astimezone(ZoneInfo("Europe/Berlin"))
    shown = f"{berlin:%a} {berlin.day} {berlin:%b}, {berlin:%H:%M} {berlin.tzname()}"
    assert f"{shown} (16:00 in Kuala Lumpur)" in emails[0].body_text
    assert "https://zoom.example.org/j/987654321" in emails[0].body_text
    # Reminders carry the current calendar invite.
    assert "text/calendar" in {
        a.content_type.split(";")[0] for a in emails[0].attachments
    }


def test_a_cancelled_or_draft_event_sends_nothing(
    make_reg_event, make_registration, now, outbox
):
    event = make_reg_event()
    _plan(event, now)
    make_registration(event)
    event.status = "cancelled"
    db.session.commit()

    assert enqueue_due_reminders(now=event.start_at - timedelta(minutes=5)).queued == 0
    assert db.session.scalar(select(ReminderPlanItem.id).limit(1)) is not None


def test_one_broken_event_does_not_hold_back_the_others(
    make_reg_event, make_registration, now, outbox, monkeypatch
):
    from consult.notifications.reminders import engine

    broken, fine = make_reg_event(title="Broken"), make_reg_event(title="Fine")
    hour = _plan(broken, now)[2]
    _plan(fine, now)
    make_registration(broken)
    make_registration(fine)
    real = engine._dispatch_registrants

    def fail_for_broken(item, *args, **kwargs):
        if item.event_id == broken.id:
            raise RuntimeError("boom")
        return real(item, *args, **kwargs)

    monkeypatch.setattr(engine, "_dispatch_registrants", fail_for_broken)

    with pytest.raises(RuntimeError, match="failed events"):
        enqueue_due_reminders(now=due_at(hour, broken))

    assert {e.event_id for e in _reminder_emails(outbox)} == {fine.id}
