"""The searchable, paginated list of text answers of one question.

Text questions and the "Other, please specify" texts of single-choice
questions. In an anonymous survey an answer shows its stakeholder type only
when the results page shows that type for this question (privacy.py's rule
over the survey's and the question's respondents per type); the others say
"Other groups" and cannot be filtered on. The list is then sorted by the
text itself: an order by time would line answers up with the participation
records that say who answered when.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from consult.surveys.results.aggregate import (
    counted,
    question_hidden_keys,
    responses_by_group,
    survey_hidden_keys,
)
from consult.surveys.results.privacy import too_few
from consult.surveys.services.audience import response_group, with_registration

PER_PAGE = 25
TEXT_KINDS = ("short_text", "long_text", "single_choice")


@dataclass(frozen=True)
class TextAnswer:
    text: str
    group_label: str
    respondent: str | None  # None in anonymous surveys and for public links
    submitted_at: datetime | None  # None in anonymous surveys


@dataclass(frozen=True)
class TextPage:
    items: list[TextAnswer]
    total: int
    page: int
    per_page: int
    q: str
    group: int | None
    hidden: bool = False  # anonymous survey with too few responses
    hidden_keys: frozenset = frozenset()  # types not named for this question

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def text_answers(
    question: SurveyQuestion,
    *,
    q: str = "",
    group: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> TextPage:
    """One page of a question's text answers matching ``q``, optionally of one type.

    An anonymous survey with fewer than ``min_group_size()`` responses, or a
    question of it answered by fewer, gives an empty page marked ``hidden``, like
    the results page.
    """
    survey = question.survey
    q = (q or "").strip()[:200]
    by_group = responses_by_group(survey)
    respondents = _respondents(question) if survey.anonymous else {}
    if survey.anonymous and (
        too_few(sum(by_group.values())) or too_few(sum(respondents.values()))
    ):
        # Like the results page: nothing from fewer than the threshold.
        return TextPage([], 0, 1, per_page, q, None, hidden=True)
    hidden_keys = (
        question_hidden_keys(
            question, respondents, {}, survey_hidden_keys(survey, by_group)
        )
        if survey.anonymous
        else set()
    )
    if survey.anonymous and group in hidden_keys:
        group = None  # a hidden group cannot be singled out
    group_key = response_group()
    conditions = [
        SurveyAnswer.question_id == question.id,
        SurveyAnswer.text_value.is_not(None),
        SurveyAnswer.text_value != "",
        *counted(survey),
    ]
    if question.kind == "single_choice":
        conditions.append(SurveyAnswer.option_id.is_(None))
    if q:
        conditions.append(
            func.lower(SurveyAnswer.text_value).like(
                "%" + _escape_like(q.lower()) + "%", escape="\\"
            )
        )
    if group is not None:
        conditions.append(group_key == group)
    base = with_registration(
        select(SurveyAnswer.id).join(
            SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id
        )
    )
    total = db.session.scalar(
        select(func.count()).select_from(base.where(*conditions).subquery())
    )
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    query = (
        with_registration(
            select(
                SurveyAnswer.text_value,
                group_key,
                StakeholderType.label,
                Registration.full_name,
                SurveyResponse.submitted_at,
            ).join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        )
        .outerjoin(StakeholderType, StakeholderType.id == group_key)
        .where(*conditions)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if survey.anonymous:
        query = query.order_by(SurveyAnswer.text_value, SurveyAnswer.id)
    else:
        query = query.order_by(
            SurveyResponse.submitted_at.desc(), SurveyAnswer.id.desc()
        )
    items = [
        _item(survey.anonymous, hidden_keys, *row) for row in db.session.execute(query)
    ]
    return TextPage(
        items, total, page, per_page, q, group, hidden_keys=frozenset(hidden_keys)
    )


def _respondents(question: SurveyQuestion) -> dict:
    """{type id: responses that answered the question}, as the results count them."""
    group = response_group(question.survey)
    query = with_registration(
        select(group, func.count(func.distinct(SurveyAnswer.response_id))).join(
            SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id
        ),
        question.survey,
    )
    rows = db.session.execute(
        query.where(
            SurveyAnswer.question_id == question.id, *counted(question.survey)
        ).group_by(group)
    )
    return {key: n for key, n in rows}


def _item(anonymous, hidden_keys, text, type_id, type_label, name, submitted_at):
    if anonymous and type_id in hidden_keys:
        label = _("Other groups")
    else:
        label = type_label or _("No type")
    return TextAnswer(
        text=text,
        group_label=label,
        respondent=None if anonymous else name,
        submitted_at=None if anonymous else submitted_at,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
