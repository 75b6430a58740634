"""Survey invitations and reminders as one sequence per person, on a moving clock.

The message that first carries the survey's link (the invitation, or a
follow-up after the event) is recorded; reminders count from it and never
reach someone who was not given the link.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.reminders import (
    due_at,
    enqueue_due_reminders,
    ensure_default_plan,
)
from consult.notifications.services import deliver_outbox
from consult.surveys.models import SurveyInvitation
from consult.surveys.services import (
    SurveyData,
    create_survey,
    enqueue_due_survey_reminders,
    remind_non_responders,
    send_invitations,
)
from tests.surveys.conftest import invite_and_deliver


def _invitations(survey):
    db.session.expire_all()
    rows = db.session.scalars(
        select(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id)
    )
    return {row.registration_id: (row.via, row.invited_at) for row in rows}


def _survey_mail(outbox, template):
    return [e for e in outbox() if e.template == template]


def _job(clock, instant):
    clock.move_to(instant)
    queued = enqueue_due_survey_reminders(instant)
    db.session.commit()
    return queued


def test_reminders_count_from_when_the_link_left_not_from_when_it_was_queued(
    make_survey, reg_event, make_registration, organiser, outbox, now, clock
):
    """An invitation held (a pause, a mail server down) starts nobody's
    sequence until it leaves; one that never leaves starts none at all."""
    from consult.notifications.controls import cancel_queued
    from consult.notifications.services import deliver_outbox
    from consult.surveys.services import send_invitations

    survey = make_survey(reg_event, kinds=("likert",), reminder_after_days=2)
    held = make_registration(reg_event, "held@example.org")
    dropped = make_registration(reg_event, "dropped@example.org")
    send_invitations(survey, organiser, now=now)
    db.session.commit()
    invitations = {e.recipient: e for e in _survey_mail(outbox, "survey_invitation")}
    cancel_queued(
        reg_event, organiser, now=now, ids=[invitations["dropped@example.org"].id]
    )
    db.session.commit()

    # Two days on, the held invitation has not left: no reminder yet.
    assert _job(clock, now + timedelta(days=2, minutes=1)) == 0
    left = now + timedelta(days=3)
    deliver_outbox(now=left)
    assert _job(clock, left + timedelta(days=1)) == 0
    assert _job(clock, left + timedelta(days=2)) == 1
    reminded = [e.recipient for e in _survey_mail(outbox, "survey_reminder")]
    assert reminded == [held.email]  # the dropped one never had the link
    assert dropped.email not in reminded


def test_reminders_count_from_each_persons_invitation_and_skip_the_uninvited(
    make_survey, reg_event, make_registration, organiser, outbox, now, clock
):
    survey = make_survey(reg_event, kinds=("likert",), reminder_after_days=2)
    early = make_registration(reg_event, "early@example.org")
    invite_and_deliver(survey, organiser, now=now)
    db.session.commit()
    assert _invitations(survey) == {early.id: ("invitation", now)}
    # Someone registers the next day: no invitation yet, so no reminder.
    newcomer = make_registration(reg_event, "new@example.org")

    assert _job(clock, now + timedelta(days=1, hours=23)) == 0
    assert _job(clock, now + timedelta(days=2, minutes=1)) == 1
    assert _job(clock, now + timedelta(days=4)) == 0
    reminded = [e.recipient for e in _survey_mail(outbox, "survey_reminder")]
    assert reminded == ["early@example.org"]

    # Invited on day 4: their reminder comes two days after that, not before.
    invited_at = now + timedelta(days=4, hours=1)
    clock.move_to(invited_at)
    report = invite_and_deliver(survey, organiser, now=invited_at)
    db.session.commit()
    assert report.queued == 1  # the newcomer; the early one has the link
    assert _invitations(survey)[newcomer.id] == ("invitation", invited_at)
    assert _job(clock, invited_at + timedelta(days=1)) == 0
    assert _job(clock, invited_at + timedelta(days=2)) == 1

    for email in _survey_mail(outbox, "survey_reminder"):
        invitation = next(
            e
            for e in _survey_mail(outbox, "survey_invitation")
            if e.recipient == email.recipient
        )
        assert email.created_at >= invitation.created_at + timedelta(days=2)


def test_a_reminder_by_hand_goes_only_to_invited_people(
    survey, make_registration, organiser, outbox, now
):
    person = make_registration(survey.event, "person@example.org")

    before = remind_non_responders(survey, organiser, now=now)
    db.session.commit()
    assert (before.queued, before.skipped) == (0, 1)
    assert _survey_mail(outbox, "survey_reminder") == []

    invite_and_deliver(survey, organiser, now=now)
    after = remind_non_responders(survey, organiser, now=now + timedelta(days=1))
    db.session.commit()
    assert after.queued == 1
    [reminder] = _survey_mail(outbox, "survey_reminder")
    assert reminder.recipient == person.email


def test_the_follow_up_that_carries_the_link_starts_the_sequence(
    reg_event, make_registration, organiser, outbox, now, clock
):
    thanks = ensure_default_plan(reg_event, now=now)[3]
    came = make_registration(reg_event, "came@example.org")
    missed = make_registration(reg_event, "missed@example.org")
    came.attended = True
    reg_event.attendance_completed_at = reg_event.end_at
    survey = create_survey(
        reg_event,
        organiser,
        SurveyData(
            title="Your feedback",
            kind="post_event",
            audience="confirmed",
            opens=reg_event.end_at,
            closes=reg_event.end_at + timedelta(days=14),
            reminder_after_days=3,
        ),
        now=now,
    )
    db.session.commit()
    # The survey is open after the event, but nobody has its link yet.
    assert _job(clock, reg_event.end_at + timedelta(hours=1)) == 0

    sent = due_at(thanks, reg_event)
    clock.move_to(sent)
    enqueue_due_reminders(now=sent)
    deliver_outbox(now=sent)  # the follow-ups carry the link
    assert _invitations(survey) == {
        came.id: ("follow_up", sent),
        missed.id: ("follow_up", sent),
    }
    # Already given the link: the invitation button sends nothing more.
    assert send_invitations(survey, organiser, now=sent).queued == 0
    db.session.commit()

    assert _job(clock, sent + timedelta(days=2, hours=23)) == 0
    assert _job(clock, sent + timedelta(days=3)) == 2
    assert {e.recipient for e in _survey_mail(outbox, "survey_reminder")} == {
        came.email,
        missed.email,
    }


def test_an_invitation_cancelled_before_it_left_can_be_sent_again(
    make_survey, reg_event, make_registration, organiser, outbox, now, clock
):
    from consult.notifications.controls import cancel_queued
    from consult.notifications.models import OutboundEmail

    survey = make_survey(reg_event, kinds=("likert",), reminder_after_days=2)
    person = make_registration(reg_event, "late@example.org")
    send_invitations(survey, organiser, now=now)
    db.session.commit()
    [first] = _survey_mail(outbox, "survey_invitation")
    cancel_queued(reg_event, organiser, now=now, ids=[first.id])
    db.session.commit()

    # Pressed again an hour later: the cancelled one gave nobody the link.
    again = now + timedelta(hours=1)
    report = send_invitations(survey, organiser, now=again)
    db.session.commit()
    assert (report.queued, report.skipped) == (1, 0)
    rows = db.session.scalars(
        select(OutboundEmail)
        .where(OutboundEmail.template == "survey_invitation")
        .order_by(OutboundEmail.id)
    ).all()
    assert [r.status for r in rows] == ["withdrawn", "queued"]
    assert rows[1].recipient == person.email
    assert _invitations(survey)[person.id] == ("invitation", again)
    # Pressed a third time: they have it now, nothing more.
    assert send_invitations(survey, organiser, now=again).queued == 0
    # The sequence counts from the new invitation once it has left.
    deliver_outbox(now=again)
    db.session.commit()
    assert _job(clock, again + timedelta(days=1, hours=23)) == 0
    assert _job(clock, again + timedelta(days=2, minutes=1)) == 1
