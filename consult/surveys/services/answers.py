"""Reading a filled-in survey form into answer rows, with one message per question.

The form's values arrive as a mapping of field name to a list of strings
("raw" answers, the shape of a submitted HTML form):

- ``q<id>``: the chosen option id ("other" for the free answer), the chosen
  option ids of a multiple choice, the scale point, the number or the text;
- ``q<id>_other``: the text of "Other, please specify";
- ``q<id>_o<option id>``: the rank given to one item of a ranking question;
- ``q<id>_s<statement id>``: the scale point given to one matrix statement.

The same shape is stored as an anonymous survey's draft and rebuilt from a
named response to fill the form again, so one template serves every case.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.errors import ValidationFailed
from consult.numbers import parse_id, parse_int
from consult.surveys.models import (
    RATING_MAX,
    RATING_MIN,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
)

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
OTHER_TEXT_MAX = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FIELD = re.compile(r"^q\d+(_other|_o\d+|_s\d+)?$")

Raw = dict[str, list[str]]


@dataclass(frozen=True)
class AnswerValue:
    question_id: int
    option_id: int | None = None
    number_value: float | None = None
    text_value: str | None = None

    def to_row(self) -> SurveyAnswer:
        return SurveyAnswer(
            question_id=self.question_id,
            option_id=self.option_id,
            number_value=self.number_value,
            text_value=self.text_value,
        )


class AnswersInvalid(ValidationFailed):
    """Some answers break a rule; ``errors`` maps question id to its message."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some answers need your attention; see the messages below."))
        self.errors = errors
        # Not form fields: each message is shown beside its question, and the
        # form's summary lists them (consult.surveys.forms.answer_problems).
        self.problems = []


class _Problem(Exception):
    pass


def raw_from_form(formdata) -> Raw:
    """The survey fields of a submitted form (a MultiDict), nothing else."""
    raw: Raw = {}
    for key in formdata:
        if _FIELD.match(key):
            values = [v for v in formdata.getlist(key) if isinstance(v, str)]
            raw[key] = values[:50]
    return raw


def raw_from_answers(questions, answers) -> Raw:
    """Rebuild the form's values from stored answer rows (to edit a draft)."""
    kinds = {q.id: q.kind for q in questions}
    raw: Raw = {}
    for a in answers:
        kind, key = kinds.get(a.question_id), f"q{a.question_id}"
        if kind is None:
            continue
        if kind == "ranking":
            raw[f"{key}_o{a.option_id}"] = [_number_text(a.number_value)]
        elif kind == "likert_matrix":
            raw[f"{key}_s{a.option_id}"] = [_number_text(a.number_value)]
        elif kind in ("single_choice", "multiple_choice"):
            if a.option_id is None:
                raw[key] = ["other"]
                raw[f"{key}_other"] = [a.text_value or ""]
            else:
                raw.setdefault(key, []).append(str(a.option_id))
        elif kind in ("short_text", "long_text"):
            raw[key] = [a.text_value or ""]
        else:
            raw[key] = [_number_text(a.number_value)]
    return raw


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_answers(
    survey: Survey, raw: Mapping[str, list[str]], *, complete: bool
) -> list[AnswerValue]:
    """The answer rows of a filled-in form, or AnswersInvalid with a message per question.

    ``complete`` is False for a draft: required questions may stay empty and a
    ranking may be unfinished, but what is given must still make sense.
    """
    values: list[AnswerValue] = []
    errors: dict[int, str] = {}
    for question in survey.questions:
        try:
            found = _PARSERS[question.kind](question, raw, complete)
        except _Problem as problem:
            errors[question.id] = str(problem)
            continue
        if not found and complete and question.required:
            errors[question.id] = _("Please answer this question.")
            continue
        values.extend(found)
    if errors:
        raise AnswersInvalid(errors)
    return values


def _first(raw, key: str) -> str:
    found = raw.get(key) or [""]
    return (found[0] or "").strip()


def _text(value: str, limit: int) -> str:
    if _CONTROL.search(value):
        raise _Problem(_("Please remove the invisible control characters."))
    if len(value) > limit:
        raise _Problem(_("At most %(n)d characters, please.", n=limit))
    return value


def _integer(value: str, low: int, high: int) -> int:
    number = parse_int(value, low=low, high=high)
    if number is None:
        raise _Problem(_("Choose one of the points on the scale."))
    return number


def _single_choice(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    value = _first(raw, f"q{q.id}")
    if not value:
        return []
    if value == "other" and q.allow_other:
        text = _text(_first(raw, f"q{q.id}_other"), OTHER_TEXT_MAX)
        if not text and complete:
            raise _Problem(_("Please say what your other answer is."))
        return [AnswerValue(q.id, text_value=text)] if text else []
    return [AnswerValue(q.id, option_id=_option_id(q, value))]


def _option_id(q: SurveyQuestion, value: str) -> int:
    option_id = parse_id(value)
    if option_id not in {o.id for o in q.options}:
        raise _Problem(_("Choose one of the options given."))
    return option_id


def _multiple_choice(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    chosen: list[int] = []
    for value in raw.get(f"q{q.id}") or []:
        option_id = _option_id(q, (value or "").strip())
        if option_id not in chosen:
            chosen.append(option_id)
    if q.max_choices is not None and len(chosen) > q.max_choices:
        raise _Problem(
            ngettext(
                "Choose at most %(num)d option.",
                "Choose at most %(num)d options.",
                q.max_choices,
            )
        )
    low = q.min_choices or 0
    if complete and chosen and len(chosen) < low:
        raise _Problem(_choose_at_least(low))
    if complete and not chosen and q.required and low > 1:
        raise _Problem(_choose_at_least(low))
    return [AnswerValue(q.id, option_id=option_id) for option_id in chosen]


def _choose_at_least(low: int) -> str:
    return ngettext(
        "Choose at least %(num)d option.", "Choose at least %(num)d options.", low
    )


def _likert(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    value = _first(raw, f"q{q.id}")
    if not value:
        return []
    return [AnswerValue(q.id, number_value=float(_integer(value, 1, 5)))]


def _rating(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    value = _first(raw, f"q{q.id}")
    if not value:
        return []
    number = _integer(value, RATING_MIN, RATING_MAX)
    return [AnswerValue(q.id, number_value=float(number))]


def _number(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    value = _first(raw, f"q{q.id}").replace(" ", "")
    if not value:
        return []
    try:
        number = float(value.replace(",", ".")) if value.count(",") <= 1 else None
    except ValueError:
        number = None
    if number is None or not math.isfinite(number):
        raise _Problem(_("Please enter a number, such as 12 or 3.5."))
    if q.min_value is not None and number < q.min_value:
        raise _Problem(_("The smallest allowed is %(n)s.", n=_number_text(q.min_value)))
    if q.max_value is not None and number > q.max_value:
        raise _Problem(_("The largest allowed is %(n)s.", n=_number_text(q.max_value)))
    return [AnswerValue(q.id, number_value=number)]


def _short_text(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    value = _text(_first(raw, f"q{q.id}"), SHORT_TEXT_MAX)
    return [AnswerValue(q.id, text_value=value)] if value else []


def _long_text(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    found = raw.get(f"q{q.id}") or [""]
    value = _text((found[0] or "").strip().replace("\r\n", "\n"), LONG_TEXT_MAX)
    return [AnswerValue(q.id, text_value=value)] if value else []


def _ranking(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    options = q.options
    count = len(options)
    ranks: dict[int, int] = {}
    for option in options:
        value = _first(raw, f"q{q.id}_o{option.id}")
        if not value:
            continue
        rank = parse_int(value, low=1, high=count)
        if rank is None:
            raise _Problem(_("Give each item a rank from 1 to %(n)d.", n=count))
        ranks[option.id] = rank
    if not ranks:
        return []
    if complete and (
        len(ranks) != count or sorted(ranks.values()) != list(range(1, count + 1))
    ):
        raise _Problem(_("Give each item a different rank from 1 to %(n)d.", n=count))
    return [
        AnswerValue(q.id, option_id=option_id, number_value=float(rank))
        for option_id, rank in ranks.items()
    ]


def _likert_matrix(q: SurveyQuestion, raw, complete: bool) -> list[AnswerValue]:
    found: list[AnswerValue] = []
    for statement in q.statements:
        value = _first(raw, f"q{q.id}_s{statement.id}")
        if value:
            number = _integer(value, 1, 5)
            found.append(
                AnswerValue(q.id, option_id=statement.id, number_value=float(number))
            )
    if complete and q.required and found and len(found) < len(q.statements):
        raise _Problem(_("Please give a point for every statement."))
    return found


_PARSERS = {
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "likert": _likert,
    "rating": _rating,
    "number": _number,
    "short_text": _short_text,
    "long_text": _long_text,
    "ranking": _ranking,
    "likert_matrix": _likert_matrix,
}
