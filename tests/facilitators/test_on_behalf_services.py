"""Inputs and survey answers a facilitator records on a person's behalf, at
the service level: the participant's rules, who/how/when stored, counted like
anyone's, and an anonymous survey's response left unlinked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from consult.challenges.models import Input
from consult.challenges.services import InputData, event_challenges, publish_input
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.facilitators.inputs import record_input
from consult.facilitators.records import ballot_record
from consult.facilitators.services import record_priorities, register_person
from consult.facilitators.surveys import person_surveys, record_survey_answers
from consult.registration.services.validation import RegistrationData
from consult.surveys.export import responses_sheet
from consult.surveys.models import SurveyParticipation, SurveyResponse
from consult.surveys.results.aggregate import responses_by_group
from consult.surveys.services import AnswersInvalid, submit_response
from tests.facilitators.conftest import full_answers


def _person(name="Aminah binti Yusof", type_key="informal") -> RegistrationData:
    return RegistrationData(
        full_name=name,
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key=type_key,
        consent_privacy=True,
    )


def _register(event, facilitator, now, name="Aminah binti Yusof", channel="phone"):
    person = register_person(
        event, facilitator, _person(name), channel, now=now
    ).registration
    db.session.commit()
    return person


def _idea(event, title="Compost at the wet market") -> InputData:
    return InputData(
        kind="solution_idea",
        title=title,
        body="Collect the stalls' food waste every evening.",
        challenge_id=event_challenges(event)[0].id,
    )


def test_an_input_on_behalf_is_the_persons_with_who_how_and_when(
    ch_event, organiser, now, make_facilitator, make_registration
):
    user = make_facilitator(ch_event)
    person = _register(ch_event, user, now)
    item = record_input(
        ch_event, user, person.id, _idea(ch_event), "in_person", now=now
    )
    db.session.commit()
    assert (item.registration_id, item.expert_id, item.state) == (
        person.id,
        None,
        "submitted",
    )
    assert (item.facilitated_by_id, item.channel, item.facilitated_at) == (
        user.id,
        "in_person",
        now,
    )
    # Moderated like any other: the organiser publishes it.
    publish_input(item, organiser, now=now)
    db.session.commit()
    assert db.session.get(Input, item.id).state == "published"


def test_an_input_on_behalf_keeps_the_participants_rules(
    ch_event, now, make_facilitator, make_registration, clock
):
    user = make_facilitator(ch_event)
    person = _register(ch_event, user, now)
    walk_in = make_registration(ch_event)
    with pytest.raises(ValidationFailed) as refused:
        record_input(
            ch_event, user, person.id, _idea(ch_event, title=""), "phone", now=now
        )
    assert refused.value.field == "title"
    with pytest.raises(ValidationFailed) as refused:
        record_input(
            ch_event, user, person.id, _idea(ch_event), "carrier_pigeon", now=now
        )
    assert refused.value.field == "channel"
    with pytest.raises(NotFound):
        record_input(ch_event, user, walk_in.id, _idea(ch_event), "phone", now=now)
    with pytest.raises(PermissionDenied):
        record_input(
            ch_event,
            user,
            person.id,
            _idea(ch_event),
            "phone",
            now=now + timedelta(days=11),
        )
    db.session.rollback()
    assert db.session.scalar(select(Input.id)) is None


def test_a_named_survey_answered_with_a_facilitator_is_the_persons(
    ch_event, now, make_facilitator, make_survey, stype
):
    user = make_facilitator(ch_event)
    person = _register(ch_event, user, now)
    survey = make_survey(ch_event, kinds=("likert", "short_text"))
    assert [s.survey for s in person_surveys(ch_event, person, now=now)] == [survey]
    with pytest.raises(AnswersInvalid):
        record_survey_answers(
            ch_event, user, person.id, survey.id, {}, "phone", now=now
        )
    db.session.rollback()
    record_survey_answers(
        ch_event, user, person.id, survey.id, full_answers(survey), "phone", now=now
    )
    db.session.commit()
    response = db.session.scalar(select(SurveyResponse))
    assert (response.registration_id, response.status, response.submitted_at) == (
        person.id,
        "submitted",
        now,
    )
    assert (response.facilitated_by_id, response.channel, response.facilitated_at) == (
        user.id,
        "phone",
        now,
    )
    participation = db.session.scalar(select(SurveyParticipation))
    assert (participation.facilitated_by_id, participation.channel) == (
        user.id,
        "phone",
    )
    assert responses_by_group(survey) == {stype(ch_event, "informal").id: 1}
    # No second answer, by the facilitator or the person.
    with pytest.raises(Conflict):
        record_survey_answers(
            ch_event, user, person.id, survey.id, full_answers(survey), "phone", now=now
        )
    with pytest.raises(Conflict):
        submit_response(survey, person, full_answers(survey), now=now)


def test_the_survey_audience_and_the_event_hold_for_facilitators(
    ch_event, make_reg_event, now, make_facilitator, make_survey
):
    user = make_facilitator(ch_event)
    person = _register(ch_event, user, now)
    person.status = "pending"
    db.session.commit()
    survey = make_survey(ch_event, kinds=("likert",))
    with pytest.raises(PermissionDenied):
        record_survey_answers(
            ch_event, user, person.id, survey.id, full_answers(survey), "phone", now=now
        )
    other = make_survey(make_reg_event(title="Elsewhere"), kinds=("likert",))
    with pytest.raises(NotFound):
        record_survey_answers(
            ch_event, user, person.id, other.id, full_answers(other), "phone", now=now
        )
    db.session.rollback()
    assert db.session.scalar(select(SurveyResponse.id)) is None


def test_an_anonymous_survey_filled_by_a_facilitator_stays_unlinked(
    ch_event, now, make_facilitator, make_survey, stype
):
    user = make_facilitator(ch_event)
    people = [_register(ch_event, user, now, f"Person {i}") for i in range(5)]
    survey = make_survey(ch_event, kinds=("likert", "short_text"), anonymous=True)
    for person in people:
        record_survey_answers(
            ch_event, user, person.id, survey.id, full_answers(survey), "phone", now=now
        )
    db.session.commit()
    responses = db.session.scalars(select(SurveyResponse)).all()
    assert len(responses) == 5
    for response in responses:
        assert response.registration_id is None
        assert (response.facilitated_by_id, response.channel) == (None, None)
        assert response.facilitated_at is None
        assert response.submitted_at == now.replace(hour=0, minute=0, second=0)
        assert response.id < 0
    # No column of a response names a person or an account.
    columns = {c.name for c in inspect(SurveyResponse).columns}
    person_columns = {"registration_id", "facilitated_by_id"}
    assert person_columns <= columns  # only ever NULL on anonymous rows, above
    # The participations say who answered (with the facilitator), not what.
    rows = db.session.scalars(select(SurveyParticipation)).all()
    assert {(p.registration_id, p.facilitated_by_id, p.channel) for p in rows} == {
        (person.id, user.id, "phone") for person in people
    }
    assert all(p.facilitated_at == p.responded_at for p in rows)
    assert {p.responded_at for p in rows} == {now.replace(hour=0, minute=0, second=0)}
    # The export names nobody: neither the people nor the facilitator.
    sheet = responses_sheet(survey)
    text = repr([list(sheet.header), *[list(r) for r in sheet.rows]])
    for needle in [p.full_name for p in people] + [
        user.name,
        user.email,
        "phone",
        "Phone",
    ]:
        assert needle not in text
    assert responses_by_group(survey) == {stype(ch_event, "informal").id: 5}
    # Answered once: the person cannot answer again, nor the facilitator.
    with pytest.raises(Conflict):
        submit_response(survey, people[0], full_answers(survey), now=now)
    with pytest.raises(Conflict):
        record_survey_answers(
            ch_event,
            user,
            people[0].id,
            survey.id,
            full_answers(survey),
            "paper",
            now=now,
        )


def test_the_schema_refuses_a_facilitator_on_an_unlinked_response(
    ch_event, now, make_facilitator, make_survey
):
    user = make_facilitator(ch_event)
    survey = make_survey(ch_event, kinds=("likert",), anonymous=True)
    db.session.add(
        SurveyResponse(
            survey_id=survey.id,
            status="submitted",
            submitted_at=now,
            facilitated_by_id=user.id,
        )
    )
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()


def test_the_person_record_says_how_priorities_were_saved(
    ch_event, now, make_facilitator
):
    user = make_facilitator(ch_event)
    person = _register(ch_event, user, now)
    assert ballot_record(person) is None
    points = {
        c.id: n for c, n in zip(event_challenges(ch_event), (5, 5, 0), strict=True)
    }
    record_priorities(ch_event, user, person.id, points, "paper", now=now)
    db.session.commit()
    record = ballot_record(person)
    assert (record.channel, record.at) == ("paper", now)
