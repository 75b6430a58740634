"""Non-responders, invitations and reminders (by hand and automatic), links for the lead."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.errors import Conflict, PermissionDenied
from consult.extensions import db
from consult.notifications.services import deliver_outbox
from consult.surveys.services import (
    enqueue_due_survey_reminders,
    non_responder_counts,
    non_responders,
    personal_survey_url,
    post_event_survey,
    registration_for_survey,
    remind_non_responders,
    save_draft,
    send_invitations,
    submit_response,
)
from consult.timeutil import now_utc
from tests.surveys.conftest import full_answers, invite_and_deliver


@pytest.fixture
def people(survey, make_registration):
    event = survey.event
    return {
        "answered": make_registration(event, type_key="research"),
        "silent": make_registration(event, type_key="informal"),
        "no_email": make_registration(
            event, email="", assisted=True, type_key="informal"
        ),  # fmt: skip
        "waiting": make_registration(event, status="waitlisted"),
    }


def _answer(survey, person, now):
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()


def test_non_responders_are_the_audience_minus_those_who_answered(survey, people, now):
    _answer(survey, people["answered"], now)
    names = {r.id for r in non_responders(survey)}
    assert names == {people["silent"].id, people["no_email"].id}
    assert non_responder_counts(survey) == {"Informal sector & community groups": 2}


def test_remind_queues_once_a_day_with_numbered_dedup_keys(
    survey, people, organiser, outbox, now
):
    _answer(survey, people["answered"], now)
    invite_and_deliver(survey, organiser, now=now - timedelta(hours=1))
    report = remind_non_responders(survey, organiser, now=now)
    db.session.commit()
    assert (report.queued, report.skipped) == (1, 1)  # no address: skipped
    again = remind_non_responders(survey, organiser, now=now + timedelta(hours=3))
    assert (again.queued, again.skipped) == (0, 2)
    later = remind_non_responders(survey, organiser, now=now + timedelta(days=1))
    db.session.commit()
    assert later.queued == 1
    keys = [e.dedup_key for e in outbox() if e.template == "survey_reminder"]
    silent = people["silent"].id
    assert keys == [
        f"survey-reminder:{survey.id}:{silent}:1",
        f"survey-reminder:{survey.id}:{silent}:2",
    ]


def test_reminder_email_has_the_personal_link_and_both_zones(
    survey, people, organiser, outbox, now
):
    invite_and_deliver(survey, organiser, now=now - timedelta(hours=1))
    remind_non_responders(survey, organiser, now=now)
    db.session.commit()
    email = next(
        e
        for e in outbox()
        if e.recipient == people["silent"].email and e.template == "survey_reminder"
    )
    assert email.subject == f"Reminder: {survey.title}"
    url = personal_survey_url(survey, people["silent"])
    assert url.startswith("http://consult.test/events/")
    assert url in email.body_text and url in email.body_html
    token = url.rsplit("/", 1)[1]
    assert registration_for_survey(survey, token).id == people["silent"].id
    # Closing time in the person's zone (Brussels) and the event's (Kuala Lumpur).
    assert "Kuala Lumpur" in email.body_text
    assert "CET" in email.body_text or "CEST" in email.body_text
    assert "<html" in email.body_html and "Answer the survey" in email.body_html


def test_invitations_go_once_per_person(survey, people, organiser, outbox, now):
    first = send_invitations(survey, organiser, now=now)
    db.session.commit()
    assert first.queued == 2  # answered and silent have addresses; none answered yet
    second = send_invitations(survey, organiser, now=now + timedelta(days=2))
    db.session.commit()
    assert second.queued == 0
    invitations = [e for e in outbox() if e.template == "survey_invitation"]
    assert len(invitations) == 2
    assert "4 questions" not in invitations[0].body_text
    assert "9 questions" in invitations[0].body_text


def test_no_emails_outside_the_window_or_for_public_or_by_others(
    survey, make_survey, people, organiser, other_organiser, now
):
    with pytest.raises(Conflict):
        remind_non_responders(survey, organiser, now=survey.closes_at)
    with pytest.raises(PermissionDenied):
        remind_non_responders(survey, other_organiser, now=now)
    public = make_survey(survey.event, kinds=("likert",), audience="public")
    with pytest.raises(Conflict):
        send_invitations(public, organiser, now=now)


def test_automatic_reminder_is_due_after_n_days_and_idempotent(
    make_survey, reg_event, make_registration, organiser, outbox, now
):
    survey = make_survey(reg_event, kinds=("likert",), reminder_after_days=2,
                         opens=None, closes=None)  # fmt: skip
    survey.opens_at = now - timedelta(days=1)
    db.session.commit()
    reminded_by_hand = make_registration(reg_event)
    silent = make_registration(reg_event)
    answered = make_registration(reg_event)
    _answer(survey, answered, now)
    invite_and_deliver(survey, organiser, now=now)
    db.session.commit()
    assert enqueue_due_survey_reminders(now) == 0  # invited just now: not due
    remind_non_responders(survey, organiser, now=now)
    db.session.commit()
    hand = len([e for e in outbox() if e.template == "survey_reminder"])
    outbox_before = {e.dedup_key for e in outbox()}
    new_person = make_registration(reg_event)
    invited = now + timedelta(hours=1)
    invite_and_deliver(survey, organiser, now=invited)
    db.session.commit()
    assert enqueue_due_survey_reminders(invited + timedelta(days=1)) == 0
    due = invited + timedelta(days=2)
    assert enqueue_due_survey_reminders(due) == 1
    db.session.commit()
    assert enqueue_due_survey_reminders(due + timedelta(hours=1)) == 0
    db.session.commit()
    added = [
        e.dedup_key
        for e in outbox()
        if e.dedup_key not in outbox_before and e.template == "survey_reminder"
    ]
    assert added == [f"survey-reminder:{survey.id}:{new_person.id}:1"]
    assert hand == 2 and silent.id != reminded_by_hand.id


def test_automatic_reminder_skips_closed_and_unconfigured_surveys(
    make_survey, reg_event, make_registration, now
):
    make_survey(reg_event, kinds=("likert",))  # no automatic reminder
    closed = make_survey(reg_event, kinds=("likert",), reminder_after_days=1)
    closed.closes_at = now + timedelta(hours=1)
    db.session.commit()
    make_registration(reg_event)
    assert enqueue_due_survey_reminders(now + timedelta(days=3)) == 0


def test_post_event_survey_for_the_follow_up(make_survey, reg_event, stype, now):
    assert post_event_survey(reg_event, now) is None
    make_survey(reg_event, kinds=("rating",), kind="pre_event")
    make_survey(reg_event, kinds=("rating",), kind="post_event", audience="types",
                type_ids=[stype(reg_event, "research").id])  # fmt: skip
    assert post_event_survey(reg_event, now) is None
    feedback = make_survey(reg_event, kinds=("rating",), kind="post_event",
                           audience="attendees", title="Feedback")  # fmt: skip
    assert post_event_survey(reg_event, now).id == feedback.id
    assert post_event_survey(reg_event, feedback.closes_at) is None


# ---- through HTTP ----------------------------------------------------------------


def test_non_responders_page_and_remind_button(
    client, login, organiser, other_organiser, survey, people, outbox, now
):
    _answer(survey, people["answered"], now)
    save_draft(survey, people["silent"], {}, now=now)
    db.session.commit()
    url = f"/manage/events/{survey.event.slug}/surveys/{survey.id}/non-responders"
    login(other_organiser)
    assert client.get(url).status_code == 403
    assert client.post(url.replace("non-responders", "remind")).status_code == 403
    login(organiser)
    page = client.get(url)
    assert people["silent"].full_name in page.text
    assert people["answered"].full_name not in page.text
    assert "2 of 3 people" in page.text
    assert "Draft saved" in page.text and "Not started" in page.text
    # Nobody has the survey's link yet: the reminder waits for the invitation.
    early = client.post(url.replace("non-responders", "remind"), follow_redirects=True)
    assert "0 reminders queued." in early.text and "not invited yet" in early.text
    invited = client.post(
        url.replace("non-responders", "invite"), follow_redirects=True
    )
    assert "1 invitation queued." in invited.text
    # The invitation leaves: the person has the link. The pages queued it on
    # the running test clock, so the sender runs on that clock too (`now` is
    # the instant the test started, a second or more earlier on a busy machine).
    deliver_outbox(now=now_utc())
    sent = client.post(url.replace("non-responders", "remind"), follow_redirects=True)
    assert "1 reminder queued." in sent.text
    assert len([e for e in outbox() if e.template == "survey_reminder"]) == 1


def test_anonymous_survey_shows_counts_not_names(
    client, login, organiser, make_survey, reg_event, make_registration, now
):
    survey = make_survey(reg_event, kinds=("likert",), anonymous=True)
    silent = make_registration(reg_event, type_key="private")
    login(organiser)
    page = client.get(
        f"/manage/events/{reg_event.slug}/surveys/{survey.id}/non-responders"
    )
    assert page.status_code == 200
    assert silent.full_name not in page.text
    assert "Private sector" in page.text and "names of those who have not" in page.text


def test_manage_page_section_lists_open_surveys_with_state(
    app, survey, make_survey, people, now
):
    from flask import render_template_string

    _answer(survey, people["answered"], now)
    make_survey(survey.event, kinds=("likert",), title="Closed one",
                opens=None, closes=None)  # fmt: skip
    template = '{% include "surveys/_manage_section.html" %}'
    with app.test_request_context():
        answered = render_template_string(
            template, registration=people["answered"], event=survey.event
        )
        silent = render_template_string(
            template, registration=people["silent"], event=survey.event
        )
        waiting = render_template_string(
            template, registration=people["waiting"], event=survey.event
        )
    assert "Before the webinar" in answered and "Submitted" in answered
    assert "Not started" in silent and "Closed one" not in silent
    assert personal_survey_url(survey, people["silent"]).split("/")[-1] in silent
    assert "Surveys" not in waiting
