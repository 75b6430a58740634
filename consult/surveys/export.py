"""Raw survey responses for a spreadsheet: one row per counted response.

The rows are the responses the results count (consult.registration.counting),
each with the stakeholder type it counts in.

One column per question; multiple choice gets one column per option (1 when
chosen, 0 when not, empty when the question was skipped), ranking one column
per item (its rank), a Likert matrix one per statement (1-5), and a single
choice with "Other, please specify" a second column for the text.

Anonymous surveys: no personal columns at all (no name, email, response id
or time), the stakeholder type only for groups the results show for every
question (privacy.py; the rest say "Other groups") and the rows in random
order, because an order by submission would line them up with the
participation records that say who answered when. A question (or a matrix
statement) the results page hides, answered by fewer than
``min_group_size()``, has no values in the export either. Fewer than that many
responses: no export (the results are hidden too).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import PermissionDenied
from consult.exports import Sheet
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.surveys.models import Survey, SurveyAnswer, SurveyResponse
from consult.surveys.results.aggregate import (
    cells_and_respondents,
    counted,
    question_hidden_keys,
    responses_by_group,
    small_statements,
    survey_hidden_keys,
)
from consult.surveys.results.privacy import hidden_groups, min_group_size, too_few
from consult.surveys.scale import scale_labels_in
from consult.surveys.services.audience import response_group, with_registration


@dataclass(frozen=True)
class Column:
    header: str
    question_id: int
    option_id: int | None = None  # the option / statement / item of this column
    part: str = "value"  # value | other | choice | rank | statement


def response_columns(survey: Survey) -> list[Column]:
    """The question columns of the export, in question order."""
    columns = []
    for number, question in enumerate(survey.questions, start=1):
        title = f"{number}. {question.text}"
        kind = question.kind
        if kind == "multiple_choice":
            columns += [
                Column(f"{title} — {o.label}", question.id, o.id, "choice")
                for o in question.options
            ]
        elif kind == "ranking":
            columns += [
                Column(f"{title} — {o.label}", question.id, o.id, "rank")
                for o in question.options
            ]
        elif kind == "likert_matrix":
            columns += [
                Column(f"{title} — {s.label}", question.id, s.id, "statement")
                for s in question.statements
            ]
        else:
            columns.append(Column(title, question.id))
            if kind == "single_choice" and question.allow_other:
                other = _("Other, please specify")
                columns.append(Column(f"{title} — {other}", question.id, None, "other"))
    return columns


def responses_sheet(survey: Survey, *, rng: random.Random | None = None) -> Sheet:
    """The submitted responses as one sheet (header and rows), in three queries."""
    by_group = responses_by_group(survey)
    if survey.anonymous and too_few(sum(by_group.values())):
        raise PermissionDenied(
            _(
                "Responses of an anonymous survey can be exported once at least "
                "%(n)d people have answered.",
                n=min_group_size(),
            )
        )
    hidden, blank = set(), set()
    if survey.anonymous:
        hidden, blank = anonymous_hiding(survey, by_group)
    columns = response_columns(survey)
    options = {o.id: o for q in survey.questions for o in q.all_options}
    kinds = {q.id: q.kind for q in survey.questions}
    answers = _answers(survey)
    head, rows = _personal_header(survey), []
    for response in _responses(survey):
        cells = _personal_cells(survey, response, hidden)
        mine = answers.get(response.id, {})
        cells += [
            None if _blank(column, blank) else _cell(column, mine, kinds, options)
            for column in columns
        ]
        rows.append(cells)
    if survey.anonymous:
        (rng or random.SystemRandom()).shuffle(rows)
    return Sheet(_("Responses"), head + [c.header for c in columns], rows)


def anonymous_hiding(survey: Survey, by_group: dict) -> tuple[set, set]:
    """The groups an anonymous survey's export must not name, and what it must
    leave empty: (question id, None) for a question answered by too few,
    (question id, statement id) for such a statement of a matrix.

    A row carries its type next to every answer, so a type is named only if
    the results show it for every question; the groups hidden anywhere are
    then checked once more for a derivable remainder over the responses.
    """
    hidden = survey_hidden_keys(survey, by_group)
    cells, respondents = cells_and_respondents(survey)
    blank, shown = set(), []
    for question in survey.questions:
        q_counts = respondents.get(question.id, {})
        q_cells = cells.get(question.id, {})
        if too_few(sum(q_counts.values())):
            blank.add((question.id, None))
        else:
            shown.append((question, q_counts, q_cells))
            blank |= {(question.id, sid) for sid in small_statements(question, q_cells)}
    # Hiding a group for one question changes the remainders of the others:
    # repeat until no question adds a group (the set only grows).
    while True:
        before = set(hidden)
        for question, q_counts, q_cells in shown:
            hidden |= question_hidden_keys(question, q_counts, q_cells, hidden)
        hidden = hidden_groups(by_group, also=hidden)
        if hidden == before:
            return hidden, blank


def _blank(column: Column, blank: set) -> bool:
    if (column.question_id, None) in blank:
        return True
    return (
        column.part == "statement" and (column.question_id, column.option_id) in blank
    )


def _personal_header(survey: Survey) -> list[str]:
    if survey.anonymous:
        return [_("Stakeholder type")]
    return [
        _("Response ID"),
        _("Submitted at (UTC)"),
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Country"),
        _("Stakeholder type"),
    ]


def _personal_cells(survey, row, hidden) -> list:
    if survey.anonymous and row.type_id in hidden:
        label = _("Other groups")
    elif row.type_id is None:
        label = _("Public link") if survey.audience == "public" else _("No type")
    else:
        label = row.type_label
    if survey.anonymous:
        return [label]
    return [
        row.id,
        row.submitted_at,
        row.full_name,
        row.email,
        row.organisation,
        row.country,
        label,
    ]


def _responses(survey: Survey):
    """The counted responses (the results' rule), in the group they count in."""
    group = response_group()
    query = with_registration(
        select(
            SurveyResponse.id,
            SurveyResponse.submitted_at,
            group.label("type_id"),
            StakeholderType.label.label("type_label"),
            Registration.full_name,
            Registration.email,
            Registration.organisation,
            Registration.country,
        ).select_from(SurveyResponse)
    )
    query = (
        query.outerjoin(StakeholderType, StakeholderType.id == group)
        .where(SurveyResponse.survey_id == survey.id, *counted(survey))
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
    )
    return db.session.execute(query)


def _answers(survey: Survey) -> dict[int, dict[int, list]]:
    """{response id: {question id: [(option id, number, text)]}}."""
    query = with_registration(
        select(
            SurveyAnswer.response_id,
            SurveyAnswer.question_id,
            SurveyAnswer.option_id,
            SurveyAnswer.number_value,
            SurveyAnswer.text_value,
        ).join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
    ).where(SurveyResponse.survey_id == survey.id, *counted(survey))
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, option_id, number, text in db.session.execute(query):
        out[response_id][question_id].append((option_id, number, text))
    return out


def _cell(column: Column, answers: dict, kinds: dict, options: dict):
    given = answers.get(column.question_id)
    if not given:
        return None
    kind = kinds[column.question_id]
    if column.part == "choice":
        return int(any(option_id == column.option_id for option_id, _n, _t in given))
    if column.part in ("rank", "statement"):
        return next((_number(n) for o, n, _t in given if o == column.option_id), None)
    if column.part == "other":
        return next((t for o, _n, t in given if o is None and t), None)
    option_id, number, text = given[0]
    if kind == "single_choice":
        return options[option_id].label if option_id in options else _("Other")
    if kind in ("short_text", "long_text"):
        return text
    return _number(number)


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def questions_sheet(survey: Survey) -> Sheet:
    """A second sheet explaining the columns: each question, its kind and options."""
    rows = []
    for number, question in enumerate(survey.questions, start=1):
        if question.kind in ("likert", "likert_matrix"):
            # In the event's default language, like the other labels here.
            language = survey.event.default_language
            labels = scale_labels_in(question, language, language)
            scale = "; ".join(f"{i} = {label}" for i, label in enumerate(labels, 1))
        elif question.kind == "rating":
            scale = _("0 (lowest) to 10 (highest)")
        elif question.kind == "ranking":
            scale = _("1 = ranked first")
        elif question.kind == "multiple_choice":
            scale = _("1 = chosen, 0 = not chosen")
        else:
            scale = ""
        options = "; ".join(o.label for o in question.all_options)
        rows.append(
            [number, question.text, question.kind, question.required, options, scale]
        )
    header = [
        _("No."),
        _("Question"),
        _("Kind"),
        _("Required"),
        _("Options"),
        _("Values"),
    ]
    return Sheet(_("Questions"), header, rows)
