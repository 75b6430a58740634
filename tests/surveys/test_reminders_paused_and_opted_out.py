"""Survey reminders honour the organiser's pause and a person's unsubscribe (issue 28, item 6)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.controls import pause_messages, resume_messages
from consult.notifications.models import OutboundEmail
from consult.notifications.unsubscribe import opt_out
from consult.surveys.services import enqueue_due_survey_reminders
from tests.surveys.conftest import invite_and_deliver


def _reminder_keys():
    return list(
        db.session.scalars(
            select(OutboundEmail.dedup_key)
            .where(OutboundEmail.template == "survey_reminder")
            .order_by(OutboundEmail.id)
        )
    )


def _survey(make_survey, event, now):
    survey = make_survey(event, kinds=("likert",), reminder_after_days=1,
                         opens=None, closes=None)  # fmt: skip
    survey.opens_at = now - timedelta(days=2)
    db.session.commit()
    return survey


def test_no_automatic_survey_reminder_while_paused_then_after_resuming(
    make_survey, reg_event, make_registration, organiser, now
):
    survey = _survey(make_survey, reg_event, now)
    person = make_registration(reg_event)
    # Reminders count from each person's invitation (two days ago).
    invite_and_deliver(survey, organiser, now=now - timedelta(days=2))
    pause_messages(reg_event, organiser, now=now)
    db.session.commit()

    assert enqueue_due_survey_reminders(now) == 0
    assert _reminder_keys() == []

    resume_messages(reg_event, organiser, now=now + timedelta(hours=1))
    db.session.commit()

    assert enqueue_due_survey_reminders(now + timedelta(hours=1)) == 1
    assert _reminder_keys() == [f"survey-reminder:{survey.id}:{person.id}:1"]


def test_an_unsubscribed_person_gets_no_survey_reminder_and_others_carry_the_link(
    make_survey, reg_event, make_registration, organiser, now
):
    survey = _survey(make_survey, reg_event, now)
    leaving = make_registration(reg_event)
    staying = make_registration(reg_event)
    invite_and_deliver(survey, organiser, now=now - timedelta(days=2))
    opt_out(leaving, now=now)
    db.session.commit()

    assert enqueue_due_survey_reminders(now) == 1

    [row] = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.template == "survey_reminder")
    ).all()
    assert row.dedup_key == f"survey-reminder:{survey.id}:{staying.id}:1"
    assert "/messages/unsubscribe/" in row.list_unsubscribe
