"""Survey answers a facilitator records with or for one of their people.

The participant's own service stores the answers (same audience, window and
validation; one response per person). A named survey's response is the
person's and also keeps who recorded it, how and when. An ANONYMOUS survey's
response stays unlinked: it carries neither the person nor the facilitator;
only the person's SurveyParticipation (which already says that they answered,
never which response is theirs) records that a facilitator helped, by which
channel, on which day. Either way the person has then answered: no second
answer, by them or by the facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import NotFound
from consult.extensions import db
from consult.facilitators.services import check_channel, facilitated_person
from consult.registration.models import Registration
from consult.surveys.models import Survey, SurveyParticipation
from consult.surveys.services import (
    RegistrantState,
    in_audience,
    registrant_state,
    submit_response,
)
from consult.surveys.services.answers import Raw


@dataclass(frozen=True)
class PersonSurvey:
    survey: Survey
    state: RegistrantState
    participation: SurveyParticipation | None


def event_survey(event, survey_id) -> Survey:
    """One of the event's surveys for registrants (not a public-link one)."""
    survey = db.session.get(Survey, survey_id) if isinstance(survey_id, int) else None
    if survey is None or survey.event_id != event.id or survey.audience == "public":
        raise NotFound(_("No such survey."))
    return survey


def participation_of(survey: Survey, registration: Registration):
    return db.session.scalar(
        select(SurveyParticipation).where(
            SurveyParticipation.survey_id == survey.id,
            SurveyParticipation.registration_id == registration.id,
        )
    )


def person_surveys(event, registration: Registration, *, now: datetime):
    """The event's surveys for the person: open ones of their audience, and
    any they answered; with where they stand."""
    found = []
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.event_id == event.id, Survey.audience != "public")
        .order_by(Survey.opens_at, Survey.id)
    )
    for survey in surveys:
        participation = participation_of(survey, registration)
        open_to_them = survey.is_open(now) and in_audience(survey, registration)
        if participation is None and not open_to_them:
            continue
        state = registrant_state(survey, registration)
        found.append(PersonSurvey(survey, state, participation))
    return found


def record_survey_answers(
    event,
    facilitator,
    registration_id: int,
    survey_id: int,
    raw: Raw,
    channel: str,
    *,
    now: datetime,
):
    """Submit the person's answers as they give them to the facilitator."""
    registration = facilitated_person(event, facilitator, registration_id)
    survey = event_survey(event, survey_id)
    channel = check_channel(channel)
    first_answer = participation_of(survey, registration) is None
    response = submit_response(survey, registration, raw, now=now)
    participation = participation_of(survey, registration)
    if first_answer:
        participation.facilitated_by_id = facilitator.id
        participation.channel = channel
        # The day only for an anonymous survey, like responded_at.
        participation.facilitated_at = participation.responded_at
    if not survey.anonymous:
        response.facilitated_by_id = facilitator.id
        response.channel = channel
        response.facilitated_at = now
    db.session.flush()
    return response
