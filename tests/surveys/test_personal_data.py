"""A registrant's survey data in their export; drafts removed on erasure."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.models import SurveyDraft, SurveyResponse
from consult.surveys.services import (
    erase_survey_drafts,
    export_survey_data,
    save_draft,
    submit_response,
)
from tests.surveys.conftest import full_answers


def test_export_lists_named_answers_and_anonymous_participation(
    survey, make_survey, make_registration, now
):
    person = make_registration(survey.event)
    submit_response(survey, person, full_answers(survey), now=now)
    anonymous = make_survey(survey.event, kinds=("rating",), anonymous=True,
                            title="Anonymous feedback")  # fmt: skip
    submit_response(anonymous, person, full_answers(anonymous), now=now)
    db.session.commit()
    data = export_survey_data(person)
    named = data[0]
    assert named["survey"] == "Before the webinar" and named["status"] == "submitted"
    answers = {a["question"]: a["answer"] for a in named["answers"]}
    assert answers["Question about likert"] == ["Agree"]
    assert answers["Question about rating"] == ["9"]
    assert answers["Question about single_choice"] == [
        "Plastic pollution and packaging"
    ]
    assert "Household e-waste: 1" in answers["Question about ranking"]
    assert data[1]["survey"] == "Anonymous feedback"
    assert "not linked" in data[1]["status"] and "answers" not in data[1]


def test_erasure_removes_drafts_and_keeps_submissions(
    survey, make_survey, make_registration, now
):
    person = make_registration(survey.event)
    anonymous = make_survey(survey.event, kinds=("rating",), anonymous=True)
    other = make_survey(survey.event, kinds=("rating",), title="Third")
    save_draft(anonymous, person, {}, now=now)
    save_draft(other, person, {}, now=now)
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()
    erase_survey_drafts(person)
    db.session.commit()
    assert db.session.scalar(select(func.count(SurveyDraft.id))) == 0
    statuses = list(db.session.scalars(select(SurveyResponse.status)))
    assert statuses == ["submitted"]


def test_the_registrants_own_export_and_erasure_include_surveys(
    survey, make_survey, make_registration, client, now
):
    from consult.registration.services import erase, export_personal_data
    from consult.registration.services.tokens import manage_token

    person = make_registration(survey.event)
    other = make_survey(survey.event, kinds=("rating",), title="Third")
    save_draft(other, person, {}, now=now)
    submit_response(survey, person, full_answers(survey), now=now)
    db.session.commit()

    data = export_personal_data(person)
    assert [s["survey"] for s in data["surveys"]][0] == "Before the webinar"
    # The challenges area adds the person's inputs, supports and priorities.
    assert data["contributions"]["inputs"] == []
    token = manage_token(person)
    download = client.get(f"/events/{survey.event.slug}/registration/{token}/data.json")
    assert download.status_code == 200
    assert "Before the webinar" in download.get_data(as_text=True)

    erase(person, now=now)
    db.session.commit()
    assert db.session.scalar(select(func.count(SurveyDraft.id))) == 0
    # The named response goes too: an erased registration counts nowhere.
    assert list(db.session.scalars(select(SurveyResponse.status))) == []
