"""The survey builder reports every problem of one submit: the form's own
checks and the service's rules together, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.surveys.models import Survey, SurveyQuestion
from consult.surveys.services import (
    SurveyData,
    add_question,
    create_survey,
    update_question,
)
from tests.clock import field, wall
from tests.form_summary import error_text, summary_links
from tests.surveys.conftest import full_answers, question_data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_settings_service_reports_every_rule(reg_event, organiser, now):
    data = SurveyData(
        title=" ",
        kind="weekly",
        audience="public",
        opens=wall(8, 0),
        closes=wall(7, 0),
        anonymous=True,
        allow_edit=True,
        reminder_after_days=3,
    )
    with pytest.raises(ValidationFailed) as refused:
        create_survey(reg_event, organiser, data, now=now)
    assert [name for name, _m in refused.value.problems] == [
        "title",
        "kind",
        "closes",
        "allow_edit",
        "reminder_after_days",
    ]
    assert _count(Survey) == 0


def test_the_question_service_reports_every_rule(survey, organiser, now):
    before = _count(SurveyQuestion)
    data = question_data(
        "multiple_choice",
        text="",
        min_choices=4,
        max_choices=2,
        options=[],
    )
    with pytest.raises(ValidationFailed) as refused:
        add_question(survey, organiser, data, now=now)
    fields = [name for name, _m in refused.value.problems]
    assert fields == ["text", "max_choices", "new_options"]
    db.session.rollback()
    assert _count(SurveyQuestion) == before


def test_an_edit_reports_every_rule_and_changes_nothing(survey, organiser, now):
    question = next(q for q in survey.questions if q.kind == "number")
    text = question.text
    data = question_data("number", text="", min_value=5.0, max_value=1.0)
    with pytest.raises(ValidationFailed) as refused:
        update_question(question, organiser, data, now=now)
    assert [name for name, _m in refused.value.problems] == ["text", "max_value"]
    db.session.rollback()
    assert db.session.get(SurveyQuestion, question.id).text == text


def test_one_settings_submit_shows_the_form_and_service_problems(
    client, login, organiser, reg_event
):
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/surveys/new",
        data={
            "title": "",  # the form's rule
            "kind": "pre_event",
            "audience": "confirmed",
            "opens": field(wall(8, 0)),
            "closes": field(wall(7, 0)),  # the service's: closes before it opens
            "anonymous": "y",
            "allow_edit": "y",  # the service's: anonymous answers cannot change
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in error_text(html, "title")
    assert "close after it opens" in error_text(html, "closes")
    assert "Untick one of the two" in error_text(html, "allow_edit")
    assert summary_links(html) == ["title", "closes", "allow_edit"]
    assert _count(Survey) == 0


def test_one_question_submit_shows_the_form_and_service_problems(
    client, login, organiser, survey
):
    login(organiser)
    before = _count(SurveyQuestion)
    response = client.post(
        f"/manage/events/{survey.event.slug}/surveys/{survey.id}/questions/new",
        data={
            "kind": "multiple_choice",
            "text": "",  # the form's rule
            "min_choices": "3",
            "max_choices": "1",  # the service's: below the minimum
            "new_options": "Only one",  # the service's: two options at least
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in error_text(html, "text")
    assert "must not be below the minimum" in error_text(html, "max_choices")
    assert "at least two options" in error_text(html, "new_options")
    assert summary_links(html) == ["text", "max_choices", "new_options"]
    db.session.expire_all()
    assert _count(SurveyQuestion) == before


def test_a_scale_without_its_labels_is_linked_with_the_other_problems(
    client, login, organiser, survey
):
    login(organiser)
    before = _count(SurveyQuestion)
    labels = {f"scale_labels-{n}": label for n, label in enumerate("abcd ")}
    response = client.post(
        f"/manage/events/{survey.event.slug}/surveys/{survey.id}/questions/new",
        data={"kind": "likert", "text": "", **labels},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "each of the five points" in error_text(html, "scale_labels-0")
    assert summary_links(html) == ["text", "scale_labels-0"]
    db.session.expire_all()
    assert _count(SurveyQuestion) == before


def test_the_preview_lists_every_answer_in_the_summary(
    client, login, organiser, survey
):
    login(organiser)
    first, second = survey.questions[:2]
    answers = {
        key: value
        for key, value in full_answers(survey).items()
        if key not in (f"q{first.id}", f"q{second.id}")
    }
    response = client.post(
        f"/manage/events/{survey.event.slug}/surveys/{survey.id}/preview",
        data=answers,
    )
    html = response.get_data(as_text=True)
    assert summary_links(html) == [f"q{first.id}-group", f"q{second.id}-group"]
    assert 'class="form-errors"' not in html  # no notice of its own any more
    assert "would be accepted" not in html
