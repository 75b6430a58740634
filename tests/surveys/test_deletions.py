"""Deleting a survey or a question counts what is lost, and refuses when the
numbers changed since the organiser saw them."""

from __future__ import annotations

import pytest

from consult.errors import Conflict
from consult.extensions import db
from consult.surveys.models import Survey, SurveyQuestion
from consult.surveys.services import save_draft
from consult.surveys.services.deletions import (
    delete_question_as_planned,
    delete_survey_as_planned,
    question_deletion_plan,
    survey_deletion_plan,
)
from tests.surveys.conftest import full_answers


def test_a_draft_started_meanwhile_stops_the_deletion(
    survey, organiser, make_registration, now
):
    first = survey.questions[0]
    plan = survey_deletion_plan(survey, organiser)
    assert (plan.questions, plan.drafts) == (len(survey.questions), 0)
    question_plan = question_deletion_plan(first, organiser)
    assert question_plan.drafts == 0

    person = make_registration(survey.event)
    raw = full_answers(survey)
    save_draft(
        survey,
        person,
        {k: v for k, v in raw.items() if k.startswith(f"q{first.id}")},
        now=now,
    )
    db.session.commit()
    assert survey_deletion_plan(survey, organiser).drafts == 1
    assert question_deletion_plan(first, organiser).drafts == 1

    with pytest.raises(Conflict, match="Something changed"):
        delete_question_as_planned(
            first, organiser, now=now, expected=question_plan.fingerprint
        )
    with pytest.raises(Conflict, match="Something changed"):
        delete_survey_as_planned(survey, organiser, now=now, expected=plan.fingerprint)
    db.session.rollback()
    assert db.session.get(Survey, survey.id) is not None

    fresh = survey_deletion_plan(survey, organiser)
    delete_survey_as_planned(survey, organiser, now=now, expected=fresh.fingerprint)
    db.session.commit()
    assert db.session.get(Survey, survey.id) is None
    assert db.session.get(SurveyQuestion, first.id) is None
