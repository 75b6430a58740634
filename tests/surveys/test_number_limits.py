"""A question's limits are numbers a column and the answer checks can hold:
choice counts up to MAX_OPTIONS, number bounds finite (no inf, no NaN)."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.surveys.services import add_question
from consult.surveys.services.questions import MAX_OPTIONS
from tests.surveys.conftest import question_data


@pytest.mark.parametrize(
    ("kind", "limits", "field"),
    [
        ("number", {"min_value": float("-inf")}, "min_value"),
        ("number", {"max_value": float("inf")}, "max_value"),
        ("number", {"max_value": float("nan")}, "max_value"),
        ("number", {"max_value": 1e300}, "max_value"),
        ("multiple_choice", {"max_choices": 2**31}, "max_choices"),
        ("multiple_choice", {"min_choices": MAX_OPTIONS + 1}, "min_choices"),
    ],
)
def test_limits_out_of_range_are_refused_with_the_field_named(
    survey, organiser, now, kind, limits, field
):
    count = len(survey.questions)
    with pytest.raises(ValidationFailed) as refused:
        add_question(survey, organiser, question_data(kind, **limits), now=now)
    assert refused.value.field == field
    assert len(survey.questions) == count


@pytest.mark.parametrize("typed", ["inf", "nan", "1e400", "9" * 400])
def test_the_builder_form_shows_the_refusal_next_to_the_field(
    client, login, organiser, survey, typed
):
    login(organiser)
    response = client.post(
        f"/manage/events/{survey.event.slug}/surveys/{survey.id}/questions/new",
        data={"kind": "number", "text": "How many?", "max_value": typed},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="max_value-error"' in html
