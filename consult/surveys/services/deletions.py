"""What deleting a survey or one of its questions loses, counted before it
is done and again by the deletion itself (one source for the confirmation
page's numbers and for the change). A deletion is bound to the plan the
organiser saw: when the numbers changed in between (someone started
answering), it refuses and the page shows the new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.errors import Conflict
from consult.events.access import require_manager
from consult.extensions import db
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from consult.surveys.services.builder import delete_survey
from consult.surveys.services.questions import delete_question


@dataclass(frozen=True)
class DeletionPlan:
    """What a deletion removes for good."""

    questions: int
    drafts: int  # responses started and not submitted
    answers: int  # answers in those drafts that go with it

    @property
    def fingerprint(self) -> str:
        return f"{self.questions}-{self.drafts}-{self.answers}"


def _drafts(survey: Survey) -> int:
    return db.session.scalar(
        select(func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.status == "draft"
        )
    )


def _answers(*conditions) -> int:
    return db.session.scalar(
        select(func.count(SurveyAnswer.id))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.status == "draft", *conditions)
    )


def survey_deletion_plan(survey: Survey, actor) -> DeletionPlan:
    """What deleting this survey removes: its questions and the drafts."""
    require_manager(actor, survey.event)
    return DeletionPlan(
        questions=len(survey.questions),
        drafts=_drafts(survey),
        answers=_answers(SurveyResponse.survey_id == survey.id),
    )


def question_deletion_plan(question: SurveyQuestion, actor) -> DeletionPlan:
    """What deleting this question removes: the draft answers to it."""
    require_manager(actor, question.survey.event)
    answers = _answers(SurveyAnswer.question_id == question.id)
    drafts = db.session.scalar(
        select(func.count(func.distinct(SurveyAnswer.response_id)))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.status == "draft", SurveyAnswer.question_id == question.id
        )
    )
    return DeletionPlan(questions=1, drafts=drafts, answers=answers)


def _check(plan: DeletionPlan, expected: str | None) -> None:
    if expected is not None and expected != plan.fingerprint:
        raise Conflict(
            _(
                "Something changed since you looked (someone started answering). "
                "Nothing was deleted; check the numbers and confirm again."
            )
        )


def delete_survey_as_planned(
    survey: Survey, actor, *, now: datetime, expected: str | None
) -> DeletionPlan:
    """Delete the survey if it loses what the organiser was shown."""
    plan = survey_deletion_plan(survey, actor)
    _check(plan, expected)
    delete_survey(survey, actor, now=now)
    return plan


def delete_question_as_planned(
    question: SurveyQuestion, actor, *, now: datetime, expected: str | None
) -> DeletionPlan:
    """Delete the question if it loses what the organiser was shown."""
    plan = question_deletion_plan(question, actor)
    _check(plan, expected)
    delete_question(question, actor, now=now)
    return plan
