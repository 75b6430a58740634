"""One response per registrant under concurrent submissions, on real connections.

Each submission runs in its own thread, app context, session and database
connection; a barrier starts them together. PostgreSQL is the production engine
and the one where the unique keys must decide the race; SQLite runs it too.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from consult.errors import Conflict
from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)
from consult.surveys.services import parse_answers, save_draft, submit_response
from tests.registration.test_concurrency import run_together
from tests.surveys.conftest import full_answers

WORKERS = 12


def _submitting(survey_id, registration_id, raw, now, *, draft_first=False):
    def job():
        survey = db.session.get(Survey, survey_id)
        person = db.session.get(Registration, registration_id)
        try:
            if draft_first:
                save_draft(survey, person, raw, now=now)
            submit_response(survey, person, raw, now=now)
        except Conflict:
            return "refused"
        return "stored"

    return job


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_concurrent_submissions_store_one_response(
    app, make_survey, reg_event, make_registration, now, anonymous, backend
):
    survey = make_survey(reg_event, anonymous=anonymous)
    person = make_registration(reg_event)
    raw = full_answers(survey)
    expected_answers = len(parse_answers(survey, raw, complete=True))
    jobs = [
        _submitting(survey.id, person.id, raw, now, draft_first=(n % 2 == 0))
        for n in range(WORKERS)
    ]
    results, errors = run_together(app, jobs)
    assert not errors, errors
    assert Counter(results)["stored"] == 1
    db.session.expire_all()
    assert _count(SurveyResponse) == 1
    assert _count(SurveyParticipation) == 1
    assert _count(SurveyAnswer) == expected_answers
    response = db.session.scalar(select(SurveyResponse))
    assert response.status == "submitted"
    assert response.registration_id == (None if anonymous else person.id)


def test_concurrent_submissions_of_different_people_all_count(
    app, make_survey, reg_event, make_registration, now, backend
):
    if backend != "postgresql":
        pytest.skip("many writers at once: the PostgreSQL half covers it")
    survey = make_survey(reg_event, anonymous=True)
    people = [make_registration(reg_event) for _ in range(WORKERS)]
    raw = full_answers(survey)
    jobs = [_submitting(survey.id, p.id, raw, now) for p in people]
    results, errors = run_together(app, jobs)
    assert not errors, errors
    assert results == ["stored"] * WORKERS
    db.session.expire_all()
    assert _count(SurveyResponse) == WORKERS
    assert _count(SurveyParticipation) == WORKERS
