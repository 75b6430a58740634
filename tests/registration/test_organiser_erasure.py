"""An organiser erases a registrant's data on the person's request (issue 21,
item 1): a page says in numbers what goes and what stays and that it cannot
be undone, works without JavaScript, acts only on its button (bound to the
numbers shown), does the participant's own erasure and records who did it.
The person's own page states the same numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.challenges.models import Input, InputSupport, Priority
from consult.challenges.services import (
    Author,
    ChallengeData,
    InputData,
    WindowData,
    add_challenge,
    publish_input,
    save_priorities,
    submit_input,
    support_input,
    update_window,
)
from consult.errors import Conflict, PermissionDenied
from consult.extensions import db
from consult.facilitators.services import invite_facilitator
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.erasure import (
    erase_on_request,
    erasure_plan,
    organiser_erasure_plan,
)
from consult.registration.services.tokens import manage_token
from consult.surveys.models import SurveyResponse
from consult.surveys.services import (
    QuestionData,
    SurveyData,
    add_question,
    create_survey,
    submit_response,
)
from consult.timeutil import to_local
from tests.effects import committed, committed_row
from tests.registration.confirming import confirm_cancel, fingerprint_of


def url(event, suffix=""):
    return f"/manage/events/{event.slug}/registrations{suffix}"


def _wall(moment, event):
    return to_local(moment, event.timezone).replace(tzinfo=None)


def _survey(event, organiser, now, *, anonymous):
    survey = create_survey(
        event,
        organiser,
        SurveyData(
            title="Anonymous check" if anonymous else "Before the webinar",
            kind="pre_event",
            audience="confirmed",
            anonymous=anonymous,
            opens=_wall(now - timedelta(days=1), event),
            closes=_wall(now + timedelta(days=10), event),
        ),
        now=now,
    )
    add_question(
        survey, organiser, QuestionData(kind="rating", text="Useful?"), now=now
    )
    return survey


def _answer(survey, person, *, now):
    [question] = survey.questions
    submit_response(survey, person, {f"q{question.id}": ["7"]}, now=now)


def _input(event, person, organiser, now, title):
    item = submit_input(
        event,
        Author(registration=person),
        InputData(kind="problem_insight", title=title, body="Food waste is mixed."),
        now=now,
    )
    publish_input(item, organiser, now=now)
    return item


def _message(person, status, *, now, key=""):
    """A reminder to the person, queued or already sent."""
    key = key or status
    db.session.add(
        OutboundEmail(
            event_id=person.event_id,
            registration_id=person.id,
            template="reminder",
            recipient=person.email,
            recipient_name=person.full_name,
            subject="Tomorrow",
            body_text="See you tomorrow.",
            dedup_key=f"test:{person.id}:{key}",
            message_id=f"<test-{key}@consult>",
            status=status,
            next_attempt_at=now,
            created_at=now,
        )
    )


@pytest.fixture
def person(make_reg_event, make_registration, organiser, now):
    """A confirmed person with a named and an anonymous survey answered, two
    priorities, one support, two inputs, one message queued and one sent;
    the event is full, with one person waiting."""
    event = make_reg_event(capacity=2)
    challenges = [
        add_challenge(event, organiser, ChallengeData(title), now=now)
        for title in ("Food", "Plastics")
    ]
    update_window(
        event,
        organiser,
        WindowData(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)),
        now=now,
    )
    someone = make_registration(event)
    person = make_registration(event, full_name="Lim Mei Ling")
    make_registration(event, status="waitlisted")
    save_priorities(person, {challenges[0].id: 6, challenges[1].id: 4}, now=now)
    _answer(_survey(event, organiser, now, anonymous=False), person, now=now)
    _answer(_survey(event, organiser, now, anonymous=True), person, now=now)
    for title in ("Shared compost bins", "Repair days"):
        _input(event, person, organiser, now, title)
    support_input(_input(event, someone, organiser, now, "Deposits"), person, now=now)
    for status in ("queued", "sent"):
        _message(person, status, now=now)
    db.session.commit()
    return person


def _count(model, registration) -> int:
    return committed().scalar(
        select(func.count())
        .select_from(model)
        .where(model.registration_id == registration.id)
    )


def test_the_plan_counts_what_goes_and_what_stays(person):
    plan = erasure_plan(person)
    assert (plan.survey_responses, plan.anonymous_surveys) == (1, 1)
    assert (plan.priorities, plan.supports, plan.inputs) == (2, 1, 2)
    assert (plan.messages_withdrawn, plan.messages_kept) == (1, 1)
    assert plan.seat_freed and plan.waiting == 1


def test_the_erasure_is_the_participants_own_and_records_the_organiser(
    person, organiser, now
):
    event = person.event
    _, plan = organiser_erasure_plan(event, person.id, organiser)
    erase_on_request(event, person.id, organiser, now=now, expected=plan.fingerprint)
    db.session.commit()

    erased = committed_row(Registration, person.id)
    assert erased.erased_at is not None and erased.erased_by_id == organiser.id
    assert (erased.full_name, erased.email, erased.status) == (
        "Erased participant",
        None,
        "cancelled",
    )
    assert _count(Priority, person) == 0 and _count(InputSupport, person) == 0
    assert _count(SurveyResponse, person) == 0
    assert _count(Input, person) == 2  # kept, without the name
    rows = committed().execute(
        select(OutboundEmail.status, OutboundEmail.recipient, OutboundEmail.last_error)
        .where(OutboundEmail.registration_id == person.id)
        .order_by(OutboundEmail.id)
    )
    statuses = {status: (recipient, reason) for status, recipient, reason in rows}
    assert statuses["withdrawn"] == (
        "",
        "An organiser erased the person's data before this message left.",
    )
    assert statuses["sent"][0] == ""
    # The freed seat went to the person waiting.
    waiting = committed().scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == "waitlisted"
        )
    )
    assert waiting == 0


def test_a_plan_no_longer_true_erases_nothing(person, organiser, now):
    event = person.event
    _, plan = organiser_erasure_plan(event, person.id, organiser)
    _message(person, "queued", now=now, key="later")
    db.session.commit()
    with pytest.raises(Conflict):
        erase_on_request(
            event, person.id, organiser, now=now, expected=plan.fingerprint
        )
    db.session.rollback()
    assert committed_row(Registration, person.id).erased_at is None


def test_only_the_events_organisers_may_erase(person, other_organiser, organiser, now):
    event = person.event
    with pytest.raises(PermissionDenied):
        organiser_erasure_plan(event, person.id, other_organiser)
    _, plan = organiser_erasure_plan(event, person.id, organiser)
    with pytest.raises(PermissionDenied):
        erase_on_request(
            event, person.id, other_organiser, now=now, expected=plan.fingerprint
        )
    db.session.rollback()
    assert committed_row(Registration, person.id).erased_at is None


def test_the_page_says_it_in_numbers_and_only_its_button_erases(
    client, login, organiser, person
):
    event = person.event
    login(organiser)
    listed = client.get(url(event)).text
    assert url(event, f"/{person.id}/erase") in listed

    page = client.get(url(event, f"/{person.id}/erase")).text
    assert "Erase the personal data of Lim Mei Ling?" in page
    assert "1 survey response given by name is deleted." in page
    assert "Answers to 1 anonymous survey stay" in page
    assert "2 priorities among the challenges are deleted." in page
    assert "1 support of an input is deleted." in page
    assert "2 inputs stay, without the name of their author." in page
    assert "1 message waiting to be sent is withdrawn." in page
    assert "1 message already sent stays in the outbox" in page
    assert "(1 waiting)" in page
    assert "This cannot be undone." in page
    assert committed_row(Registration, person.id).erased_at is None

    done = confirm_cancel(
        client, url(event, f"/{person.id}/erase"), follow_redirects=True
    )
    assert "The personal data of Lim Mei Ling is erased." in done.text
    erased = committed_row(Registration, person.id)
    assert erased.erased_by_id == organiser.id and erased.email is None
    assert "Data erased on" in done.text and organiser.display_name in done.text
    # Nothing left to do on an erased registration: the page sends back.
    again = client.get(url(event, f"/{person.id}/erase"), follow_redirects=True)
    assert "This registration has been erased." in again.text


def test_without_javascript_a_plain_post_only_shows_the_numbers(
    client, login, organiser, person
):
    event = person.event
    login(organiser)
    plain = client.post(url(event, f"/{person.id}/erase"))
    assert plain.status_code == 200
    assert "This cannot be undone." in plain.text
    assert committed_row(Registration, person.id).erased_at is None

    stale = client.post(
        url(event, f"/{person.id}/erase"), data={"fingerprint": "0" * 32}
    )
    assert stale.status_code == 200
    assert "Nothing was erased" in stale.text
    assert committed_row(Registration, person.id).erased_at is None

    done = client.post(
        url(event, f"/{person.id}/erase"),
        data={"fingerprint": fingerprint_of(stale.text)},
    )
    assert done.status_code == 302
    assert committed_row(Registration, person.id).erased_by_id == organiser.id


def test_a_facilitator_or_another_organiser_cannot(
    client, login, organiser, other_organiser, person, now
):
    event = person.event
    invitation = invite_facilitator(
        event, organiser, "field@example.org", "Field Worker", now=now
    )
    db.session.commit()
    for user in (other_organiser, invitation.link.user):
        login(user)
        assert client.get(url(event, f"/{person.id}/erase")).status_code in (403, 404)
        refused = client.post(
            url(event, f"/{person.id}/erase"),
            data={"fingerprint": erasure_plan(person).fingerprint},
        )
        assert refused.status_code in (403, 404)
    assert committed_row(Registration, person.id).erased_at is None


def test_the_persons_own_page_states_the_numbers(client, person):
    token = manage_token(person)
    page = client.get(f"/events/{person.event.slug}/registration/{token}").text
    assert "1 survey response given by name is deleted." in page
    assert "2 inputs stay, without the name of their author." in page
    assert "1 message waiting to be sent is withdrawn." in page

    client.post(
        f"/events/{person.event.slug}/registration/{token}/erase",
        data={"confirm": "y"},
    )
    erased = committed_row(Registration, person.id)
    assert erased.erased_at is not None and erased.erased_by_id is None
