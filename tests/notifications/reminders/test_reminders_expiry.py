"""A reminder stuck in the outbox is never delivered after the event started,
and the follow-ups link the slides and the recording."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
    plan_overview,
)


def _plan(event, now):
    items = ensure_default_plan(event, now=now - timedelta(days=10))
    db.session.commit()
    return items


def _reminders():
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.template == "reminder")
            .order_by(OutboundEmail.id)
        )
    )


def test_a_reminder_stuck_in_the_outbox_expires_at_the_start(
    reg_event, make_registration, now, smtp_sink, use_smtp
):
    hour = _plan(reg_event, now)[2]
    make_registration(reg_event, "siti@example.my")
    enqueue_due_reminders(now=due_at(hour, reg_event))
    [queued] = [
        e for e in _reminders() if e.dedup_key.startswith(f"reminder:{hour.id}")
    ]
    assert queued.send_before == reg_event.start_at

    # The mail server was unreachable until after the start.
    use_smtp(smtp_sink.port)
    report = deliver_outbox(now=reg_event.start_at + timedelta(minutes=1))

    # Only the 1-hour reminder was due for each person (the catch-up rule).
    assert (report.expired, report.sent) == (1, 0)
    assert smtp_sink.handler.received == []
    for email in _reminders():
        assert email.status == "expired"
        assert "Not sent" in email.last_error
    # The plan says so instead of counting them as queued.
    [row] = [r for r in plan_overview(reg_event, now=now) if r.item.id == hour.id]
    assert row.queued == 0
    assert row.skipped == {"not sent before the event started": 1}


def test_a_reminder_still_before_the_start_is_delivered(
    reg_event, make_registration, now, smtp_sink, use_smtp
):
    hour = _plan(reg_event, now)[2]
    make_registration(reg_event, "siti@example.my")
    enqueue_due_reminders(now=due_at(hour, reg_event))
    use_smtp(smtp_sink.port)

    report = deliver_outbox(now=reg_event.start_at - timedelta(minutes=1))

    assert (report.expired, report.sent) == (0, 1)
    assert {e.status for e in _reminders()} == {"sent"}


def test_moving_the_event_earlier_moves_the_expiry_of_queued_reminders(
    reg_event, make_registration, now, smtp_sink, use_smtp
):
    week = _plan(reg_event, now)[0]
    make_registration(reg_event)
    enqueue_due_reminders(now=due_at(week, reg_event))
    [email] = _reminders()
    new_start = reg_event.start_at - timedelta(days=6)
    reg_event.end_at -= reg_event.start_at - new_start
    reg_event.start_at = new_start
    db.session.commit()

    # The next engine run re-times what is still queued.
    enqueue_due_reminders(now=new_start - timedelta(hours=2))
    assert _reminders()[0].send_before == new_start

    use_smtp(smtp_sink.port)
    report = deliver_outbox(now=new_start + timedelta(minutes=1))
    assert report.expired >= 1
    assert db.session.get(OutboundEmail, email.id).status == "expired"


def test_follow_ups_link_the_slides_and_the_recording(
    reg_event, make_registration, now, outbox
):
    thanks, sorry = _plan(reg_event, now)[3:5]
    came = make_registration(reg_event, "came@example.org")
    missed = make_registration(reg_event, "missed@example.org")
    came.attended = True
    reg_event.attendance_completed_at = now  # the import, or the organiser
    reg_event.slides_url = "https://slides.example.org/pj"
    reg_event.recording_url = "https://video.example.org/pj"
    db.session.commit()

    enqueue_due_reminders(now=due_at(thanks, reg_event))

    emails = {e.dedup_key: e for e in outbox()}
    thank_you = emails[f"reminder:{thanks.id}:{came.id}"]
    sorry_email = emails[f"reminder:{sorry.id}:{missed.id}"]
    assert "Slides: https://slides.example.org/pj" in thank_you.body_text
    assert "Recording: https://video.example.org/pj" in thank_you.body_text
    assert 'href="https://slides.example.org/pj"' in thank_you.body_html
    assert "Recording: https://video.example.org/pj" in sorry_email.body_text
    assert "slides.example.org" not in sorry_email.body_text
    assert thank_you.send_before is None  # only reminders expire


def test_follow_ups_without_materials_say_where_they_will_be(
    reg_event, make_registration, now, outbox
):
    thanks = _plan(reg_event, now)[3]
    came = make_registration(reg_event, "came@example.org")
    came.attended = True
    reg_event.attendance_completed_at = now  # the import, or the organiser
    db.session.commit()

    enqueue_due_reminders(now=due_at(thanks, reg_event))

    [email] = [e for e in outbox() if e.dedup_key == f"reminder:{thanks.id}:{came.id}"]
    assert "will be shared on the event page" in email.body_text
    assert f"/events/{reg_event.slug}" in email.body_text


def _post_event_survey(event, organiser, *, audience, now):
    from consult.surveys.services import SurveyData, create_survey

    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="Your feedback",
            kind="post_event",
            audience=audience,
            opens=event.end_at,
            closes=event.end_at + timedelta(days=14),
        ),
        now=now,
    )
    db.session.commit()
    return survey


def test_the_thank_you_links_the_post_event_survey_personally(
    reg_event, make_registration, organiser, now, outbox
):
    thanks, sorry = _plan(reg_event, now)[3:5]
    came = make_registration(reg_event, "came@example.org")
    missed = make_registration(reg_event, "missed@example.org")
    came.attended = True
    reg_event.attendance_completed_at = now  # the import, or the organiser
    db.session.commit()
    survey = _post_event_survey(reg_event, organiser, audience="attendees", now=now)

    enqueue_due_reminders(now=due_at(thanks, reg_event))

    emails = {e.dedup_key: e for e in outbox()}
    thank_you = emails[f"reminder:{thanks.id}:{came.id}"]
    link = f"/events/{reg_event.slug}/surveys/{survey.id}/"
    assert "Feedback survey: http://consult.test" + link in thank_you.body_text
    assert link in thank_you.body_html
    # The survey is for attendees only: the absentees' message does not offer it.
    assert link not in emails[f"reminder:{sorry.id}:{missed.id}"].body_text


def test_the_survey_link_placeholder_fills_in_for_everyone_it_is_for(
    reg_event, make_registration, organiser, now, outbox
):
    sorry = _plan(reg_event, now)[4]
    sorry.body = "Hello {first_name}, tell us why: {survey_link}"
    came = make_registration(reg_event, "came@example.org")
    missed = make_registration(reg_event, "missed@example.org")
    came.attended = True
    reg_event.attendance_completed_at = now  # the import, or the organiser
    db.session.commit()
    survey = _post_event_survey(reg_event, organiser, audience="confirmed", now=now)

    enqueue_due_reminders(now=due_at(sorry, reg_event))

    [email] = [e for e in outbox() if e.dedup_key == f"reminder:{sorry.id}:{missed.id}"]
    assert (
        f"tell us why: http://consult.test/events/{reg_event.slug}/surveys/{survey.id}/"
        in (email.body_text)
    )
