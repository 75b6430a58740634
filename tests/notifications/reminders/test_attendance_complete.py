"""Follow-ups wait for attendance declared complete, under a moving clock.

A check-in is not the attendance; an applied report or the organiser's button
is. Organisers are nudged every day until then, the dashboard warns before
the follow-ups expire, expired ones are reported, and nobody gets both the
"thank you" and the "sorry we missed you".
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import ReminderDispatch
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
    plan_overview,
)
from consult.registration.attendance.services import (
    apply_import,
    mark_attendance_complete,
)
from consult.registration.services.organiser import set_checked_in
from consult.timeutil import now_utc
from tests.registration.test_attendance_services import (
    read,
    sample_event,
    sample_registrants,
)


def _plan(event, now):
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def _run(clock, instant):
    clock.move_to(instant)
    report = enqueue_due_reminders(now=instant)
    db.session.expire_all()
    return report


def _follow_ups(outbox):
    return {e.dedup_key: e for e in outbox() if e.template == "follow_up"}


def test_one_check_in_does_not_send_follow_ups(
    reg_event, make_registration, organiser, now, outbox, clock
):
    thanks, sorry = _plan(reg_event, now)[3:5]
    came = make_registration(reg_event, "came@example.org")
    make_registration(reg_event, "other@example.org")
    during = reg_event.start_at + timedelta(minutes=10)
    clock.move_to(during)
    set_checked_in(reg_event, came.id, organiser, True, now=during)
    db.session.commit()

    report = _run(clock, due_at(thanks, reg_event) + timedelta(hours=1))

    assert report.queued == 0
    assert _follow_ups(outbox) == {}
    assert reg_event.attendance_completed_at is None
    states = {r.item.id: r.state for r in plan_overview(reg_event, now=now_utc())}
    assert states[thanks.id] == states[sorry.id] == "waiting_attendance"


def test_an_applied_import_completes_the_attendance_and_follow_ups_go(
    organiser, now, outbox, clock
):
    event = sample_event(organiser, now)
    people = sample_registrants(event, now)
    thanks, sorry = _plan(event, now)[3:5]
    after = event.end_at + timedelta(hours=1)
    clock.move_to(after)

    apply_import(event, organiser, read("zoom-webinar-attendee-report.csv",
                 "Asia/Kuala_Lumpur"), threshold_minutes=10, now=after,
                 filename="zoom.csv")  # fmt: skip
    db.session.commit()

    assert (event.attendance_completed_at, event.attendance_completed_via) == (
        after,
        "import",
    )
    _run(clock, due_at(thanks, event))
    emails = _follow_ups(outbox)
    siti = people["Siti Aminah"]
    assert f"reminder:{thanks.id}:{siti.id}" in emails
    assert f"reminder:{sorry.id}:{siti.id}" not in emails
    absent = [p for p in people.values() if p.status == "confirmed" and p.email
              and not p.attended]  # fmt: skip
    assert absent
    for person in absent:
        assert f"reminder:{sorry.id}:{person.id}" in emails


def test_the_organisers_declaration_completes_it_once_the_event_started(
    reg_event, make_registration, organiser, now, outbox, clock
):
    from consult.errors import Conflict

    thanks = _plan(reg_event, now)[3]
    came = make_registration(reg_event, "came@example.org")
    try:
        mark_attendance_complete(reg_event, organiser, now=now)
    except Conflict as exc:
        assert "once the event has started" in exc.message
    else:
        raise AssertionError("completed before the start")
    assert reg_event.attendance_completed_at is None

    end = reg_event.end_at
    clock.move_to(end)
    set_checked_in(reg_event, came.id, organiser, True, now=end)
    assert mark_attendance_complete(reg_event, organiser, now=end) is True
    assert mark_attendance_complete(reg_event, organiser, now=end) is False
    db.session.commit()

    _run(clock, due_at(thanks, reg_event))
    assert f"reminder:{thanks.id}:{came.id}" in _follow_ups(outbox)


def test_nobody_gets_both_the_thank_you_and_the_sorry(
    reg_event, make_registration, now, outbox, clock
):
    thanks, sorry = _plan(reg_event, now)[3:5]
    came = make_registration(reg_event, "came@example.org")
    late_report = make_registration(reg_event, "late@example.org")
    came.attended = True
    reg_event.attendance_completed_at = reg_event.end_at
    db.session.commit()
    _run(clock, due_at(thanks, reg_event))

    # A second report, days later, shows the other person attended after all.
    late_report.attended = True
    db.session.commit()
    _run(clock, due_at(thanks, reg_event) + timedelta(days=2))

    emails = _follow_ups(outbox)
    assert sorted(emails) == sorted(
        [f"reminder:{thanks.id}:{came.id}", f"reminder:{sorry.id}:{late_report.id}"]
    )
    decision = db.session.scalar(
        select(ReminderDispatch).where(
            ReminderDispatch.plan_item_id == thanks.id,
            ReminderDispatch.registration_id == late_report.id,
        )
    )
    assert (decision.status, decision.reason) == (
        "skipped",
        "already received the other follow-up",
    )


def test_the_nudge_repeats_daily_until_attendance_is_complete(
    reg_event, make_registration, organiser, now, outbox, clock
):
    nudge = _plan(reg_event, now)[5]
    make_registration(reg_event)
    first = due_at(nudge, reg_event)

    _run(clock, first)
    _run(clock, first + timedelta(hours=5))
    _run(clock, first + timedelta(days=1, minutes=3))
    nudges = [e for e in outbox() if e.template == "reminder_organiser_nudge"]
    assert [e.dedup_key for e in nudges] == [
        f"reminder:{nudge.id}:u{organiser.id}",
        f"reminder:{nudge.id}:u{organiser.id}-1",
    ]
    assert "will not be sent after" in nudges[1].body_text
    assert "mark the attendance complete" in nudges[1].body_text

    clock.move_to(first + timedelta(days=1, hours=2))
    mark_attendance_complete(reg_event, organiser, now=now_utc())
    db.session.commit()
    _run(clock, first + timedelta(days=2, minutes=3))
    _run(clock, first + timedelta(days=3, minutes=3))
    assert len([e for e in outbox() if e.template == "reminder_organiser_nudge"]) == 2


def test_follow_ups_that_expire_waiting_are_reported_and_warned_of(
    reg_event, make_registration, organiser, now, outbox, clock, client, login
):
    thanks, sorry = _plan(reg_event, now)[3:5]
    make_registration(reg_event)
    dashboard = f"/manage/events/{reg_event.slug}/dashboard"

    clock.move_to(due_at(thanks, reg_event) + timedelta(days=2))
    login(organiser)
    page = client.get(dashboard).text
    assert "thank-you and sorry-we-missed-you emails are waiting" in page

    expired = due_at(thanks, reg_event) + timedelta(days=7, hours=1)
    report = _run(clock, expired)
    assert report.expired_follow_ups == [thanks.id, sorry.id]
    assert "follow-ups expired waiting for attendance" in str(report)
    states = {r.item.id: r.state for r in plan_overview(reg_event, now=expired)}
    assert states[thanks.id] == states[sorry.id] == "expired"
    login(organiser)
    page = client.get(dashboard).text
    assert "were not sent after" in page
    assert _follow_ups(outbox) == {}
