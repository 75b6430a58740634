"""Survey results: every aggregate in a fixed number of GROUP BY queries.

``survey_results(survey)`` runs the same queries whatever the number of
responses: the survey's questions and options, the event's stakeholder types,
one grouped count of answers per (question, option, type, value), one count
of respondents per (question, type), one count of responses per type and one
count of the audience and of those who answered per type. Only submitted
responses count (drafts of anonymous surveys live elsewhere; drafts of the
others are ``status = 'draft'``), and of those only the ones
``audience.counted_response`` keeps, each in the group ``response_group``
gives (the registrant's current type): see consult.registration.counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal_column, select, tuple_
from sqlalchemy.orm import selectinload

from consult.database import is_postgresql
from consult.extensions import db
from consult.registration.models import StakeholderType
from consult.shares import percent
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from consult.surveys.results.privacy import hidden_groups, too_few
from consult.surveys.results.stats import Cell, hide_statements, question_stats
from consult.surveys.services.audience import (
    audience_registrations,
    counted_response,
    response_group,
    with_registration,
)

NO_TYPE = None  # the group key of responses without a stakeholder type


@dataclass(frozen=True)
class Group:
    """A stakeholder type of the event, or the responses without one (key None)."""

    key: int | None
    label: str


@dataclass(frozen=True)
class GroupResult:
    group: Group
    n: int  # respondents of this question in the group
    hidden: bool
    stats: object | None  # None when hidden


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    n: int  # respondents who answered this question
    hidden: bool  # anonymous survey with fewer than five answers
    overall: object | None
    groups: list[GroupResult]

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def visible_groups(self) -> list[GroupResult]:
        return [g for g in self.groups if not g.hidden and g.n]

    @property
    def hidden_labels(self) -> list[str]:
        return [g.group.label for g in self.groups if g.hidden]


@dataclass(frozen=True)
class Rate:
    group: Group | None  # None: everyone
    audience: int
    responded: int

    @property
    def share(self) -> float | None:
        return self.responded / self.audience if self.audience else None

    @property
    def percent(self) -> Decimal | None:
        """The rate as shown: whole percent from the counts, half up."""
        return percent(self.responded, self.audience)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int  # submitted responses
    groups: list[Group]
    responses_by_group: dict[int | None, int]
    hidden_group_keys: set  # survey-level hiding (texts, exports)
    questions: list[QuestionResult]
    rates: list[Rate] = field(default_factory=list)  # per type; empty when public
    overall_rate: Rate | None = None
    protected: bool = False  # the small-group rule applies (anonymous, or asked)

    @property
    def anonymous(self) -> bool:
        return self.survey.anonymous

    @property
    def hidden(self) -> bool:
        """True when a protected survey has too few responses to show anything."""
        return self.protected and too_few(self.responses)


def load_survey(survey_id: int, event_id: int) -> Survey | None:
    """The survey of that event with its questions and options loaded (2 queries)."""
    return db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id, Survey.event_id == event_id)
        .options(
            selectinload(Survey.questions).selectinload(SurveyQuestion.all_options)
        )
    )


def survey_groups(survey: Survey, used_keys) -> list[Group]:
    """The event's stakeholder types in order, plus "No stakeholder type" if used."""
    types = db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id == survey.event_id)
        .order_by(StakeholderType.position, StakeholderType.id)
    )
    groups = [Group(t.id, t.label) for t in types]
    if NO_TYPE in used_keys:
        label = _("Public link") if survey.audience == "public" else _("No type")
        groups.append(Group(NO_TYPE, label))
    return groups


def responses_by_group(survey: Survey) -> dict[int | None, int]:
    """Counted responses per stakeholder type id (None: without a type)."""
    group = response_group(survey)
    rows = db.session.execute(
        with_registration(
            select(group, func.count()).select_from(SurveyResponse), survey
        )
        .where(SurveyResponse.survey_id == survey.id, *counted(survey))
        .group_by(group)
    )
    return {key: count for key, count in rows}


def survey_hidden_keys(survey: Survey, by_group: dict, *, protect: bool = False) -> set:
    """Groups whose type must not be shown next to an answer (anonymous
    surveys, or any survey when ``protect``)."""
    return hidden_groups(by_group) if survey.anonymous or protect else set()


def question_hidden_keys(
    question: SurveyQuestion, respondents: dict, q_cells: dict, survey_hidden: set
) -> set:
    """The groups a protected survey's results hide for one question.

    Those hidden for the question as a whole (privacy.py's rule over its
    respondents per group) and, for a Likert matrix, those hidden for any
    statement shown: a statement may be answered by fewer people than the
    question. A statement answered by too few in all is hidden everywhere
    (``small_statements``) and decides nothing here.
    """
    hidden = hidden_groups(respondents, also=survey_hidden)
    if question.kind == "likert_matrix":
        for counts in statement_counts(q_cells).values():
            if not too_few(sum(counts.values())):
                hidden |= hidden_groups(counts, also=hidden)
        # A group added for one statement changes the remainder of the others.
        hidden = hidden_groups(respondents, also=hidden)
    return hidden


def statement_counts(q_cells: dict) -> dict[int, dict]:
    """{statement id: {group key: answers}} of a Likert matrix's cells."""
    out: dict[int, dict] = {}
    for key, group_cells in q_cells.items():
        for option_id, _value, _text, count in group_cells:
            if option_id is not None:
                per_group = out.setdefault(option_id, {})
                per_group[key] = per_group.get(key, 0) + count
    return out


def small_statements(question: SurveyQuestion, q_cells: dict) -> set[int]:
    """The statements of a Likert matrix answered by fewer than
    ``min_group_size()`` (none for other kinds)."""
    if question.kind != "likert_matrix":
        return set()
    return {
        sid
        for sid, counts in statement_counts(q_cells).items()
        if too_few(sum(counts.values()))
    }


def survey_results(survey: Survey, *, protect: bool = False) -> SurveyResults:
    """Counts, shares, means, medians, distributions, NPS and ranks, by type.

    Anonymous surveys always apply the small-group rule (privacy.py); other
    surveys when ``protect`` is set (the consultation report): no question
    answered by fewer than ``min_group_size()`` is shown, and no group of
    fewer on its own.
    """
    protected = survey.anonymous or protect
    by_group = responses_by_group(survey)
    groups = survey_groups(survey, set(by_group))
    survey_hidden = survey_hidden_keys(survey, by_group, protect=protect)
    cells, respondents = cells_and_respondents(survey)
    questions = [
        _question_result(q, groups, cells, respondents, survey_hidden, protected)
        for q in survey.questions
    ]
    results = SurveyResults(
        survey=survey,
        responses=sum(by_group.values()),
        groups=groups,
        responses_by_group=by_group,
        hidden_group_keys=survey_hidden,
        questions=questions,
        protected=protected,
    )
    if survey.audience != "public":
        results.rates, results.overall_rate = _rates(survey, groups)
    return results


def _question_result(question, groups, cells, respondents, survey_hidden, protected):
    q_cells = cells.get(question.id, {})
    q_counts = respondents.get(question.id, {})
    n = sum(q_counts.values())
    if protected and too_few(n):
        return QuestionResult(question, n, True, None, [])
    hidden = (
        question_hidden_keys(question, q_counts, q_cells, survey_hidden)
        if protected
        else set()
    )
    small = small_statements(question, q_cells) if protected else set()
    all_cells: list[Cell] = [c for group_cells in q_cells.values() for c in group_cells]
    overall = hide_statements(question_stats(question, all_cells, n), small)
    per_group = []
    for group in groups:
        group_n = q_counts.get(group.key, 0)
        is_hidden = group.key in hidden
        stats = (
            None
            if is_hidden
            else hide_statements(
                question_stats(question, q_cells.get(group.key, []), group_n), small
            )
        )
        per_group.append(GroupResult(group, group_n, is_hidden, stats))
    return QuestionResult(question, n, False, overall, per_group)


def counted(survey: Survey) -> tuple:
    """WHERE clauses: the survey's responses that count (Registration outer-joined)."""
    return (SurveyResponse.status == "submitted", counted_response(survey))


def _has_text():
    # Literals, not bound parameters: PostgreSQL must see the same expression
    # in SELECT and GROUP BY.
    return case(
        (SurveyAnswer.text_value.is_(None), literal_column("0")),
        (SurveyAnswer.text_value == literal_column("''"), literal_column("0")),
        else_=literal_column("1"),
    )


def _answers_of(survey: Survey, *columns):
    query = (
        select(*columns)
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
    )
    return with_registration(query, survey).where(
        SurveyResponse.survey_id == survey.id, *counted(survey)
    )


Cells = dict[int, dict[int | None, list[Cell]]]
Respondents = dict[int, dict[int | None, int]]


def cells_and_respondents(survey: Survey) -> tuple[Cells, Respondents]:
    """The answer cells and, per question and type, how many responses answered.

    PostgreSQL computes both in one scan of the answers (GROUPING SETS: the
    respondents need DISTINCT, as a multiple choice answer is several rows);
    SQLite has no grouping sets and scans twice.
    """
    if not is_postgresql(db.session):
        return _answer_cells(survey), _respondents(survey)
    fine = (
        SurveyAnswer.question_id,
        response_group(survey),
        SurveyAnswer.option_id,
        SurveyAnswer.number_value,
        _has_text(),
    )
    query = _answers_of(
        survey,
        *fine,
        func.count(),
        func.count(func.distinct(SurveyAnswer.response_id)),
        func.grouping(SurveyAnswer.option_id),
    ).group_by(func.grouping_sets(tuple_(*fine), tuple_(*fine[:2])))
    cells: Cells = {}
    respondents: Respondents = {}
    for (
        question_id,
        type_id,
        option_id,
        value,
        text,
        count,
        distinct,
        whole,
    ) in db.session.execute(query):
        if whole:
            respondents.setdefault(question_id, {})[type_id] = distinct
        else:
            cells.setdefault(question_id, {}).setdefault(type_id, []).append(
                (option_id, value, bool(text), count)
            )
    return cells, respondents


def _answer_cells(survey: Survey) -> Cells:
    """{question id: {type id: [(option id, value, has text, count)]}} in one query."""
    has_text = _has_text()
    group = response_group(survey)
    query = _answers_of(
        survey,
        SurveyAnswer.question_id,
        group,
        SurveyAnswer.option_id,
        SurveyAnswer.number_value,
        has_text,
        func.count(),
    ).group_by(
        SurveyAnswer.question_id,
        group,
        SurveyAnswer.option_id,
        SurveyAnswer.number_value,
        has_text,
    )
    out: Cells = {}
    for question_id, type_id, option_id, value, text, count in db.session.execute(
        query
    ):
        out.setdefault(question_id, {}).setdefault(type_id, []).append(
            (option_id, value, bool(text), count)
        )
    return out


def _respondents(survey: Survey) -> Respondents:
    """{question id: {type id: responses with at least one answer to it}}."""
    group = response_group(survey)
    query = _answers_of(
        survey,
        SurveyAnswer.question_id,
        group,
        func.count(func.distinct(SurveyAnswer.response_id)),
    ).group_by(SurveyAnswer.question_id, group)
    out: Respondents = {}
    for question_id, type_id, count in db.session.execute(query):
        out.setdefault(question_id, {})[type_id] = count
    return out


def _rates(survey: Survey, groups: list[Group]) -> tuple[list[Rate], Rate]:
    """Audience and respondents per type, now: one query over the audience.

    The audience is the survey's audience today (confirmed registrants,
    attendees or the chosen types); someone who answered and has since
    cancelled is in neither number, so a rate never passes 100%.
    """
    audience = audience_registrations(survey).order_by(None).subquery()
    rows = db.session.execute(
        select(
            audience.c.stakeholder_type_id,
            func.count(),
            func.count(SurveyParticipation.id),
        )
        .select_from(audience)
        .outerjoin(
            SurveyParticipation,
            and_(
                SurveyParticipation.registration_id == audience.c.id,
                SurveyParticipation.survey_id == survey.id,
            ),
        )
        .group_by(audience.c.stakeholder_type_id)
    )
    counts = {key: (total, answered) for key, total, answered in rows}
    rates = [
        Rate(group, *counts.get(group.key, (0, 0)))
        for group in groups
        if group.key is not NO_TYPE
    ]
    overall = Rate(
        None,
        sum(total for total, _a in counts.values()),
        sum(answered for _t, answered in counts.values()),
    )
    return rates, overall
