"""The catch-up rule under a moving clock: downtime, margins, late seats, {time_until}.

Of a plan's reminders due for a person only the latest goes; one whose
moment passed by more than its margin (a quarter of its offset by default) is
skipped with the reason; reminders count from when the person got their seat.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import ReminderDispatch
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)
from consult.notifications.reminders.messages import render_for
from consult.registration.services.organiser import cancel_for_registrant


def _plan(event, now):
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def _run(clock, instant):
    """The scheduler's reminder job at `instant`, with the clock moved there."""
    clock.move_to(instant)
    return enqueue_due_reminders(now=instant)


def _reminders_to(outbox, person):
    return [
        e for e in outbox() if e.template == "reminder" and e.recipient == person.email
    ]


def _decisions(person):
    db.session.expire_all()
    rows = db.session.scalars(
        select(ReminderDispatch).where(ReminderDispatch.registration_id == person.id)
    )
    return {row.plan_item_id: (row.status, row.reason) for row in rows}


def test_eight_days_of_downtime_then_only_the_latest_due_reminder_goes(
    reg_event, make_registration, now, outbox, clock
):
    week, day, hour = _plan(reg_event, now)[:3]
    start = reg_event.start_at
    siti = make_registration(reg_event, "siti@example.my")
    anna = make_registration(reg_event, "anna@example.de", timezone="Europe/Berlin")

    # The last run before the outage: nothing due yet.
    last = start - timedelta(days=8, hours=23)
    assert _run(clock, last).queued == 0
    # Back eight days later, 23 hours before the start: the 7-day and the
    # 1-day reminders are both due; only the 1-day one goes.
    back = last + timedelta(days=8)
    report = _run(clock, back)

    assert (report.queued, report.skipped) == (2, 2)
    for person in (siti, anna):
        [email] = _reminders_to(outbox, person)
        assert email.dedup_key == f"reminder:{day.id}:{person.id}"
        assert email.subject == "Reminder: Designing Circular Cities starts in 1 day"
        assert "(in 1 day)" in email.body_text
        assert _decisions(person)[week.id] == ("skipped", "a later reminder is due")

    # The scheduler runs normally again: the 1-hour reminder goes on time.
    _run(clock, due_at(hour, reg_event))
    subjects = [e.subject for e in _reminders_to(outbox, siti)]
    assert subjects == [
        "Reminder: Designing Circular Cities starts in 1 day",
        "Starting soon: Designing Circular Cities begins in 1 hour",
    ]


def test_a_reminder_past_its_margin_is_skipped_with_the_reason(
    reg_event, make_registration, now, outbox, clock
):
    week, day, hour = _plan(reg_event, now)[:3]
    person = make_registration(reg_event)

    # Seven hours after the 1-day reminder's moment: its margin is 6 hours.
    report = _run(clock, due_at(day, reg_event) + timedelta(hours=7))

    assert report.queued == 0
    # The 1-day reminder is too late itself, so it replaces nothing: the
    # week one is judged by its own margin.
    assert _decisions(person) == {
        week.id: ("skipped", "more than 42 hours late"),
        day.id: ("skipped", "more than 6 hours late"),
    }
    # The next reminder still goes when its time comes.
    _run(clock, due_at(hour, reg_event) + timedelta(minutes=14))
    assert [e.dedup_key for e in _reminders_to(outbox, person)] == [
        f"reminder:{hour.id}:{person.id}"
    ]


def test_the_organisers_margin_replaces_the_default(
    reg_event, make_registration, now, outbox, clock
):
    week, day = _plan(reg_event, now)[:2]
    day.catch_up_margin_minutes = 8 * 60
    week.catch_up_margin_minutes = 30
    db.session.commit()
    early, late = make_registration(reg_event), make_registration(reg_event)

    # 7-day reminder 40 minutes late: within the default 42 hours, not 30 min.
    _run(clock, due_at(week, reg_event) + timedelta(minutes=40))
    assert _decisions(early)[week.id] == ("skipped", "more than 30 minutes late")
    # 1-day reminder 7 hours late: past the default 6 hours, within 8.
    _run(clock, due_at(day, reg_event) + timedelta(hours=7))
    assert _decisions(late)[day.id] == ("queued", "")
    assert len(_reminders_to(outbox, late)) == 1


def test_promoted_23_hours_before_the_start_gets_no_reminder_beside_the_promotion(
    make_reg_event, make_registration, organiser, now, outbox, clock
):
    event = make_reg_event(capacity=1)
    week, day, hour = _plan(event, now)[:3]
    start = event.start_at
    seated = make_registration(event, "seated@example.org")
    waiting = make_registration(
        event,
        "waiting@example.org",
        status="waitlisted",
        created_at=start - timedelta(days=10),
    )
    _run(clock, due_at(week, event))
    assert len(_reminders_to(outbox, seated)) == 1
    assert _reminders_to(outbox, waiting) == []

    # 23 hours before the start the seated person cancels; the next in line
    # is promoted at once (the promotion email goes), then the job runs.
    promoted_at = start - timedelta(hours=23)
    clock.move_to(promoted_at)
    cancel_for_registrant(event, seated.id, organiser, now=promoted_at)
    db.session.commit()
    _run(clock, promoted_at + timedelta(minutes=1))

    db.session.refresh(waiting)
    assert (waiting.status, waiting.confirmed_at) == ("confirmed", promoted_at)
    # The promotion gave the time, the link and the invite: the 7-day and
    # 1-day reminders, whose moments came before the seat, are not sent.
    assert _reminders_to(outbox, waiting) == []
    seat_reason = ("skipped", "got their seat after this reminder was due")
    assert _decisions(waiting) == {week.id: seat_reason, day.id: seat_reason}
    # The 1-hour reminder, due after the seat, goes on time.
    _run(clock, due_at(hour, event))
    [reminder] = _reminders_to(outbox, waiting)
    assert reminder.dedup_key == f"reminder:{hour.id}:{waiting.id}"
    assert "begins in 1 hour" in reminder.subject


def test_default_subjects_differ_per_reminder_and_state_the_time_until(
    reg_event, make_registration, now, outbox, clock
):
    week, day, hour = _plan(reg_event, now)[:3]
    person = make_registration(reg_event)
    for item in (week, day, hour):
        _run(clock, due_at(item, reg_event))

    subjects = [e.subject for e in _reminders_to(outbox, person)]
    assert subjects == [
        "Coming up in 1 week: Designing Circular Cities",
        "Reminder: Designing Circular Cities starts in 1 day",
        "Starting soon: Designing Circular Cities begins in 1 hour",
    ]


def test_time_until_is_written_in_the_readers_language(
    reg_event, make_registration, now
):
    day = _plan(reg_event, now)[1]
    day.subject = "{event_title}: {time_until}"
    day.body = "{time_until}"
    db.session.commit()
    person = make_registration(reg_event)
    two_days_before = reg_event.start_at - timedelta(days=2)

    english = render_for(day, person, now=two_days_before)
    with force_locale("ms"):
        malay = render_for(day, person, now=two_days_before)
    with force_locale("zh_Hans"):
        chinese = render_for(day, person, now=two_days_before)

    assert english.subject.endswith(": in 2 days")
    assert english.paragraphs == ["in 2 days"]
    assert malay.paragraphs == ["dalam 2 hari"]
    assert chinese.paragraphs == ["2天后"]
