"""Entering a paper sheet reports every problem of one submit in the error
summary at the top, each linked to its control: the sheet form's own checks,
the registration's questions, the reference and the ballot, the survey's
answers; nothing is saved and the sheet stays open."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from consult.challenges.services import event_challenges
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.facilitators.paper.entry import enter_priorities_sheet
from consult.facilitators.paper.imports import preview_import, template_header
from consult.facilitators.paper.models import PaperSheet
from consult.facilitators.paper.sheets import PrintRequest, issue_sheets, sheet_code
from consult.facilitators.paper.survey_entry import enter_survey_sheet
from consult.registration.models import Registration, RegistrationQuestion
from consult.surveys.models import SurveyResponse
from consult.surveys.services import AnswersInvalid
from tests.effects import committed
from tests.facilitators.conftest import full_answers
from tests.form_summary import error_text, summary_links, summary_text


@pytest.fixture
def level(ch_event):
    question = RegistrationQuestion(
        event_id=ch_event.id,
        label="Level of government",
        kind="choice",
        choices=["National", "State", "Local"],
        required=True,
        type_keys=["informal"],
    )
    db.session.add(question)
    db.session.commit()
    return question


def _code(event, actor, now, kind, survey_id=None) -> str:
    (sheet,) = issue_sheets(
        event, actor, PrintRequest(kind, "en", 1, survey_id), now=now
    )
    db.session.commit()
    return sheet_code(sheet)


def _entered() -> int:
    return committed().scalar(
        select(func.count(PaperSheet.id)).where(PaperSheet.entered_at.is_not(None))
    )


def test_a_priorities_sheet_reports_the_reference_and_the_ballot(
    ch_event, organiser, now
):
    code = _code(ch_event, organiser, now, "P")
    with pytest.raises(ValidationFailed) as refused:
        enter_priorities_sheet(ch_event, organiser, code, "99-R9999-X", {}, now=now)
    assert [name for name, _m in refused.value.problems] == ["person", "values"]
    db.session.rollback()
    assert _entered() == 0


def test_a_survey_sheet_reports_the_reference_and_the_answers(
    ch_event, organiser, make_survey, now
):
    survey = make_survey(ch_event, kinds=("likert", "short_text"))
    code = _code(ch_event, organiser, now, "S", survey.id)
    answers = full_answers(survey)
    answers.pop(f"q{survey.questions[0].id}")
    with pytest.raises(AnswersInvalid) as refused:
        enter_survey_sheet(ch_event, organiser, code, "", answers, now=now)
    assert list(refused.value.errors) == [survey.questions[0].id]
    assert [name for name, _m in refused.value.problems] == ["person"]
    db.session.rollback()
    assert _entered() == 0


def test_one_registration_sheet_submit_lists_every_problem(
    client, login, organiser, ch_event, level, now
):
    code = _code(ch_event, organiser, now, "R")
    login(organiser)
    response = client.post(
        f"/manage/events/{ch_event.slug}/paper/enter",
        data={
            "step": "sheet",
            "code": code,
            "full_name": "",  # the form's rule
            "phone": "012 999 1111",
            "type_key": "informal",
            "country": "MY",
            f"q_{level.id}": "",  # the service's: a required question
            "consent_privacy": "y",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in error_text(html, "full_name")
    assert "Please answer this question." in error_text(html, f"q_{level.id}")
    assert summary_links(html) == ["full_name", f"q_{level.id}"]
    assert "Level of government" in summary_text(html)
    assert f'aria-describedby="q_{level.id}-error"' in html
    assert "012 999 1111" in html  # what was typed comes back
    assert committed().scalar(select(func.count(Registration.id))) == 0
    assert _entered() == 0


def test_one_survey_sheet_submit_lists_the_reference_and_the_answers(
    client, login, organiser, ch_event, make_survey, now
):
    survey = make_survey(ch_event, kinds=("likert", "short_text"))
    code = _code(ch_event, organiser, now, "S", survey.id)
    first = survey.questions[0]
    answers = full_answers(survey)
    answers.pop(f"q{first.id}")
    login(organiser)
    response = client.post(
        f"/manage/events/{ch_event.slug}/paper/enter",
        data={"step": "sheet", "code": code, "person": "", **answers},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "person's registration form" in error_text(html, "person")
    assert summary_links(html) == ["person", f"q{first.id}-group"]
    assert "Question 1" in summary_text(html)
    assert committed().scalar(select(func.count(SurveyResponse.id))) == 0
    assert _entered() == 0


def _csv(event, *rows) -> bytes:
    header = ",".join(template_header(event))
    return ("\n".join([header, *rows]) + "\n").encode()


# Unknown type, a consent that is neither yes nor no, a point that is no number.
BAD_ROW = ",Badrul,012 345 6702,,nobody,MY,yes,maybe,no,no,x,3,0"


def test_an_import_row_is_refused_with_every_problem(ch_event, organiser, now):
    content = _csv(ch_event, BAD_ROW)
    preview = preview_import(
        ch_event, organiser, content, "sheets.csv", language="en", now=now
    )
    db.session.commit()
    first = event_challenges(ch_event)[0].id
    assert sorted((r.row, r.column) for r in preview.refused) == sorted(
        [(2, "consent_recording"), (2, f"p_{first}"), (2, "stakeholder_type")]
    )
    assert preview.refused_rows == 1 and not preview.can_import
    assert committed().scalar(select(func.count(Registration.id))) == 0


def test_the_import_page_shows_every_problem_of_a_row(
    client, login, organiser, ch_event
):
    login(organiser)
    response = client.post(
        f"/manage/events/{ch_event.slug}/paper/import",
        data={"file": (io.BytesIO(_csv(ch_event, BAD_ROW)), "s.csv"), "lang": "en"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    refused = html.split("import-refused")[1].split("</table>")[0]
    assert "Write yes or no." in refused and "Write a whole number." in refused
    assert "stakeholder_type" in refused
    assert "1 row is refused" in html
    assert "Import these people" not in html
    assert committed().scalar(select(func.count(Registration.id))) == 0
