"""Each question type's validation: what is accepted, stored shape, what is refused."""

from __future__ import annotations

import pytest

from consult.surveys.services import AnswersInvalid, parse_answers, raw_from_answers
from tests.surveys.conftest import full_answers


def _one(make_survey, reg_event, kind, **overrides):
    from consult.extensions import db
    from consult.surveys.services import add_question
    from tests.surveys.conftest import question_data

    survey = make_survey(reg_event, kinds=())
    add_question(
        survey,
        survey.created_by,
        question_data(kind, **overrides),
        now=survey.created_at,
    )
    db.session.commit()
    return survey, survey.questions[0]


def _error(survey, raw, *, complete=True):
    with pytest.raises(AnswersInvalid) as info:
        parse_answers(survey, raw, complete=complete)
    return info.value.errors


def test_full_answers_give_one_row_shape_per_kind(survey):
    values = parse_answers(survey, full_answers(survey), complete=True)
    by_kind = {}
    kinds = {q.id: q.kind for q in survey.questions}
    for value in values:
        by_kind.setdefault(kinds[value.question_id], []).append(value)
    assert len(by_kind["single_choice"]) == 1
    assert by_kind["single_choice"][0].option_id is not None
    assert len(by_kind["multiple_choice"]) == 2
    assert by_kind["likert"][0].number_value == 4
    assert by_kind["rating"][0].number_value == 9
    assert by_kind["number"][0].number_value == 42
    assert by_kind["short_text"][0].text_value == "Reuse"
    assert by_kind["long_text"][0].text_value.endswith("packaging.")
    assert sorted(v.number_value for v in by_kind["ranking"]) == [1, 2, 3, 4]
    assert [v.number_value for v in by_kind["likert_matrix"]] == [3, 4, 5]


def test_required_questions_left_empty_are_reported_each(survey):
    errors = _error(survey, {})
    assert set(errors) == {q.id for q in survey.questions}
    assert all("answer" in message for message in errors.values())


def test_a_draft_may_leave_required_questions_empty(survey):
    assert parse_answers(survey, {}, complete=False) == []


def test_single_choice_other_needs_its_text(make_survey, reg_event):
    survey, q = _one(make_survey, reg_event, "single_choice")
    errors = _error(survey, {f"q{q.id}": ["other"], f"q{q.id}_other": [" "]})
    assert "other answer" in errors[q.id]
    values = parse_answers(
        survey,
        {f"q{q.id}": ["other"], f"q{q.id}_other": ["Textile waste"]},
        complete=True,
    )
    assert values[0].option_id is None and values[0].text_value == "Textile waste"


def test_single_choice_refuses_foreign_options_and_other_when_not_offered(
    make_survey, reg_event
):
    survey, q = _one(make_survey, reg_event, "single_choice", allow_other=False)
    assert q.id in _error(survey, {f"q{q.id}": ["999999"]})
    assert q.id in _error(survey, {f"q{q.id}": ["other"]})


def test_multiple_choice_limits(make_survey, reg_event):
    survey, q = _one(make_survey, reg_event, "multiple_choice", min_choices=2)
    ids = [str(o.id) for o in q.options]
    assert "at least 2" in _error(survey, {f"q{q.id}": ids[:1]})[q.id]
    assert "at most 2" in _error(survey, {f"q{q.id}": ids[:3]})[q.id]
    assert len(parse_answers(survey, {f"q{q.id}": ids[:2]}, complete=True)) == 2
    # Duplicates of one option count once.
    assert len(parse_answers(survey, {f"q{q.id}": [ids[0], ids[0], ids[1]]},
                             complete=True)) == 2  # fmt: skip


@pytest.mark.parametrize("value", ["0", "6", "x", "3.5"])
def test_likert_accepts_only_the_five_points(make_survey, reg_event, value):
    survey, q = _one(make_survey, reg_event, "likert")
    assert q.id in _error(survey, {f"q{q.id}": [value]})


@pytest.mark.parametrize("value,ok", [("0", True), ("10", True), ("11", False),
                                      ("-1", False), ("seven", False),
                                      ("\u0667", False), ("1_0", False)])  # fmt: skip
def test_rating_is_zero_to_ten(make_survey, reg_event, value, ok):
    survey, q = _one(make_survey, reg_event, "rating")
    if ok:
        values = parse_answers(survey, {f"q{q.id}": [value]}, complete=True)
        assert values[0].number_value == int(value)
    else:
        assert q.id in _error(survey, {f"q{q.id}": [value]})


@pytest.mark.parametrize(
    "value,expected",
    [("12", 12.0), ("3,5", 3.5), (" 7.25 ", 7.25), ("1 000", None), ("nan", None),
     ("inf", None), ("101", None), ("-1", None), ("abc", None)],
)  # fmt: skip
def test_number_within_its_range(make_survey, reg_event, value, expected):
    survey, q = _one(make_survey, reg_event, "number")
    if expected is None and value != "1 000":
        assert q.id in _error(survey, {f"q{q.id}": [value]})
    elif value == "1 000":  # spaces as thousands separators: 1000 is over the max
        assert "largest" in _error(survey, {f"q{q.id}": [value]})[q.id]
    else:
        values = parse_answers(survey, {f"q{q.id}": [value]}, complete=True)
        assert values[0].number_value == expected


def test_texts_have_limits_and_refuse_control_characters(make_survey, reg_event):
    survey, q = _one(make_survey, reg_event, "short_text")
    assert "300" in _error(survey, {f"q{q.id}": ["x" * 301]})[q.id]
    assert q.id in _error(survey, {f"q{q.id}": ["bad\x00text"]})
    survey2, q2 = _one(make_survey, reg_event, "long_text")
    assert q2.id in _error(survey2, {f"q{q2.id}": ["y" * 5001]})
    long_ok = parse_answers(survey2, {f"q{q2.id}": ["a\r\nb"]}, complete=True)
    assert long_ok[0].text_value == "a\nb"


def test_ranking_must_be_a_full_permutation_when_submitted(make_survey, reg_event):
    survey, q = _one(make_survey, reg_event, "ranking")
    o = q.options
    partial = {f"q{q.id}_o{o[0].id}": ["1"], f"q{q.id}_o{o[1].id}": ["2"]}
    assert "different rank" in _error(survey, partial)[q.id]
    # A draft keeps an unfinished ranking.
    assert len(parse_answers(survey, partial, complete=False)) == 2
    twice = {f"q{q.id}_o{opt.id}": ["1"] for opt in o}
    assert q.id in _error(survey, twice)
    out_of_range = {f"q{q.id}_o{o[0].id}": ["9"]}
    assert q.id in _error(survey, out_of_range, complete=False)


def test_likert_matrix_required_needs_every_statement(make_survey, reg_event):
    survey, q = _one(make_survey, reg_event, "likert_matrix")
    s = q.statements
    one = {f"q{q.id}_s{s[0].id}": ["5"]}
    assert "every statement" in _error(survey, one)[q.id]
    assert q.id in _error(survey, {f"q{q.id}_s{s[0].id}": ["6"]}, complete=False)


def test_stored_answers_fill_the_form_again(survey):
    raw = full_answers(survey)
    values = parse_answers(survey, raw, complete=True)
    rebuilt = raw_from_answers(survey.questions, [v.to_row() for v in values])
    for key, value in raw.items():
        assert sorted(rebuilt[key]) == sorted(value), key
