"""The organiser's survey builder: a survey's settings, creation and deletion.

Its questions, options and their order are edited in
consult.surveys.services.questions. Every service takes the acting user and
``now``, checks the actor may manage the event, flushes and never commits.

Once a survey has a submitted response, its structure is locked so that no
stored answer loses its meaning: questions cannot be deleted or change kind,
options and statements cannot be removed, "other" cannot be switched off and
the survey cannot switch between anonymous and named. Texts may still be
corrected and new questions and options added. has_responses() and
locked_reason() are that rule, shared with the question editing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from consult.errors import NotFound, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import StakeholderType
from consult.surveys.models import AUDIENCES, SURVEY_KINDS, Survey, SurveyResponse
from consult.surveys.services.audience import counted_response, with_registration
from consult.text import clean_text
from consult.timeutil import to_utc

MAX_REMINDER_DAYS = 60


@dataclass(frozen=True)
class SurveyData:
    """The survey settings as entered; times are wall-clock in the event's zone."""

    title: str
    introduction: str = ""
    kind: str = "standalone"
    audience: str = "confirmed"
    type_ids: list[int] = field(default_factory=list)
    opens: datetime | None = None
    closes: datetime | None = None
    anonymous: bool = False
    allow_edit: bool = False
    reminder_after_days: int | None = None


def event_surveys(event: Event) -> list[Survey]:
    """The event's surveys, the earliest opening first, unscheduled ones last."""
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.event_id == event.id)
            .order_by(Survey.opens_at.is_(None), Survey.opens_at, Survey.id)
        )
    )


def survey_of(event: Event, survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.event_id != event.id:
        raise NotFound(_("No such survey."))
    return survey


def has_responses(survey: Survey) -> bool:
    """True once anyone has submitted a response: the structure is then locked."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    SurveyResponse.survey_id == survey.id,
                    SurveyResponse.status == "submitted",
                )
            )
        )
    )


def submitted_count(survey: Survey) -> int:
    """The responses the results count (audience.counted_response): the
    number the results page, the dashboard and the report show."""
    query = with_registration(
        select(func.count(SurveyResponse.id)).select_from(SurveyResponse), survey
    )
    return db.session.scalar(
        query.where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.status == "submitted",
            counted_response(survey),
        )
    )


def locked_reason(what: str) -> str:
    """Why a change is refused once responses exist; `what` names the change."""
    return _(
        "This survey already has responses, so %(what)s: stored answers would lose "
        "their meaning. You can still correct texts and add new questions and "
        "options.",
        what=what,
    )


def create_survey(event: Event, actor, data: SurveyData, *, now: datetime) -> Survey:
    """A new survey of the event, with no questions yet."""
    require_manager(actor, event)
    values = _checked_settings(None, event, data)
    survey = Survey(event_id=event.id, created_by_id=actor.id, created_at=now)
    _apply_settings(survey, values, now=now)
    db.session.add(survey)
    db.session.flush()
    return survey


def update_survey(survey: Survey, actor, data: SurveyData, *, now: datetime) -> None:
    """Change a survey's settings (anonymity is fixed once responses exist)."""
    require_manager(actor, survey.event)
    _apply_settings(survey, _checked_settings(survey, survey.event, data), now=now)
    db.session.flush()


def check_survey(event: Event, survey: Survey | None, data: SurveyData) -> None:
    """Every problem with a survey's settings (``survey`` None: a new one),
    raised together; nothing written."""
    _checked_settings(survey, event, data)


def _checked_settings(survey: Survey | None, event: Event, data: SurveyData) -> dict:
    """The settings' column values, or ValidationFailed with every problem."""
    problems = Problems()
    title = problems.take(
        clean_text, data.title, "title", max_length=200, required=True
    )
    introduction = problems.take(
        clean_text, data.introduction, "introduction", max_length=10000
    )
    if data.kind not in SURVEY_KINDS:
        problems.add(_("Choose what kind of survey this is."), "kind")
    if data.audience not in AUDIENCES:
        problems.add(_("Choose who the survey is for."), "audience")
    opens = problems.take(to_utc, data.opens, event.timezone, "opens")
    closes = problems.take(to_utc, data.closes, event.timezone, "closes")
    if opens is not None and closes is not None and closes <= opens:
        problems.add(_("The survey must close after it opens."), "closes")
    if data.closes is not None and data.opens is None:
        problems.add(
            _("Give an opening time as well, or leave the closing time empty."),
            "opens",
        )
    types = problems.take(_audience_types, event, data)
    if data.anonymous and data.allow_edit:
        problems.add(
            _(
                "Anonymous responses cannot be changed after submission: they are "
                "stored without a link to the person, so nobody can find them "
                "again. Untick one of the two."
            ),
            "allow_edit",
        )
    locked = survey is not None and has_responses(survey)
    if locked and bool(data.anonymous) != bool(survey.anonymous):
        problems.add(
            locked_reason(_("it cannot switch between anonymous and named")),
            "anonymous",
        )
    days = data.reminder_after_days
    if days is not None and not 1 <= days <= MAX_REMINDER_DAYS:
        problems.add(
            _("Between 1 and %(n)d days, or empty.", n=MAX_REMINDER_DAYS),
            "reminder_after_days",
        )
    elif days is not None and data.audience == "public":
        problems.add(
            _("A public-link survey has no list of people to remind."),
            "reminder_after_days",
        )
    problems.raise_any()
    return {
        "title": title,
        "introduction": introduction,
        "kind": data.kind,
        "audience": data.audience,
        "audience_types": types,
        "opens_at": opens,
        "closes_at": closes,
        "anonymous": bool(data.anonymous),
        "allow_edit": bool(data.allow_edit),
        "reminder_after_days": days,
    }


def _apply_settings(survey: Survey, values: dict, *, now: datetime) -> None:
    for key, value in values.items():
        setattr(survey, key, value)
    if survey.audience == "public":
        survey.public_token = survey.public_token or secrets.token_urlsafe(18)
    else:
        survey.public_token = None
    survey.updated_at = now


def _audience_types(event: Event, data: SurveyData) -> list[StakeholderType]:
    if data.audience != "types":
        return []
    ids = set(data.type_ids or [])
    types = list(
        db.session.scalars(
            select(StakeholderType)
            .where(StakeholderType.event_id == event.id, StakeholderType.id.in_(ids))
            .order_by(StakeholderType.position)
        )
    )
    if not types or len(types) != len(ids):
        raise ValidationFailed(
            _("Tick at least one of this event's stakeholder types."),
            field="type_ids",
        )
    return types


def delete_survey(survey: Survey, actor, *, now: datetime) -> None:
    """Delete a survey without responses (one with responses is kept)."""
    require_manager(actor, survey.event)
    if has_responses(survey):
        raise ValidationFailed(
            _("This survey has responses and cannot be deleted. Close it instead.")
        )
    db.session.delete(survey)
    db.session.flush()
