"""The surveys' part of a clone (consult/clone_parts.py).

Each survey is copied with its settings, questions, options and statements and
their translations; its window moves like the event's dates. Responses,
answers, drafts, participations and invitations stay with the source. A
survey for particular stakeholder types is for the clone's types of the same
keys, so it is copied only with the types.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.clone_parts import (
    CloneJob,
    ClonePart,
    copied_translations,
    register_clone_part,
)
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import StakeholderType
from consult.surveys.models import Survey, SurveyOption, SurveyQuestion
from consult.surveys.services.builder import event_surveys


def _copy_surveys(job: CloneJob) -> None:
    types = {
        kind.key: kind
        for kind in db.session.scalars(
            select(StakeholderType).where(StakeholderType.event_id == job.clone.id)
        )
    }
    for survey in event_surveys(job.source):
        db.session.add(_copied_survey(survey, job, types))


def _copied_survey(survey: Survey, job: CloneJob, types: dict) -> Survey:
    return Survey(
        event_id=job.clone.id,
        title=survey.title,
        introduction=survey.introduction,
        translations=copied_translations(survey.translations),
        kind=survey.kind,
        audience=survey.audience,
        audience_types=[types[kind.key] for kind in survey.audience_types],
        opens_at=job.shift(survey.opens_at),
        closes_at=job.shift(survey.closes_at),
        anonymous=survey.anonymous,
        allow_edit=survey.allow_edit,
        # A public link of its own: the source's keeps answering the source.
        public_token=secrets.token_urlsafe(18) if survey.public_token else None,
        reminder_after_days=survey.reminder_after_days,
        created_by_id=job.actor.id,
        created_at=job.now,
        updated_at=job.now,
        questions=[_copied_question(question) for question in survey.questions],
    )


def _copied_question(question: SurveyQuestion) -> SurveyQuestion:
    return SurveyQuestion(
        position=question.position,
        kind=question.kind,
        text=question.text,
        help_text=question.help_text,
        translations=copied_translations(question.translations),
        required=question.required,
        allow_other=question.allow_other,
        min_choices=question.min_choices,
        max_choices=question.max_choices,
        min_value=question.min_value,
        max_value=question.max_value,
        scale_labels=list(question.scale_labels or []),
        all_options=[
            SurveyOption(
                position=option.position,
                label=option.label,
                role=option.role,
                translations=copied_translations(option.translations),
            )
            for option in question.all_options
        ],
    )


def _surveys_need(event: Event) -> dict[str, object]:
    """A survey for particular types is for the clone's types: the types too."""
    if any(survey.audience_types for survey in event_surveys(event)):
        return {
            "types": _l(
                "Some surveys are for particular stakeholder types: copy the "
                "stakeholder types with them."
            )
        }
    return {}


register_clone_part(
    ClonePart(
        key="surveys",
        label=_l("Surveys"),
        explanation=_l(
            "Each survey's settings, questions and options, with its window "
            "moved like the dates. No responses, answers or invitations."
        ),
        copy=_copy_surveys,
        order=40,
        needs=_surveys_need,
    )
)
