"""Links to surveys for other areas: the follow-up email and the manage page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from consult.events.models import Event
from consult.extensions import db
from consult.links import external_url
from consult.registration.models import Registration
from consult.surveys.models import Survey
from consult.surveys.services.tokens import survey_token


def post_event_survey(event: Event, now: datetime) -> Survey | None:
    """The open post-event survey for attendees or all confirmed registrants, if any."""
    candidates = db.session.scalars(
        select(Survey)
        .where(
            Survey.event_id == event.id,
            Survey.kind == "post_event",
            Survey.audience.in_(("attendees", "confirmed")),
            Survey.opens_at.is_not(None),
            Survey.opens_at <= now,
            or_(Survey.closes_at.is_(None), Survey.closes_at > now),
        )
        .order_by(Survey.opens_at, Survey.id)
    )
    return next(iter(candidates), None)


def personal_survey_url(survey: Survey, registration: Registration) -> str:
    """The absolute personal link of one registrant to one survey (for emails)."""
    return external_url(
        "surveys.answer",
        slug=survey.event.slug,
        survey_id=survey.id,
        token=survey_token(survey, registration),
    )


def public_survey_url(survey: Survey) -> str | None:
    """The absolute public link of a public-link survey; None for the others."""
    if survey.audience != "public" or not survey.public_token:
        return None
    return external_url(
        "surveys.public_answer", slug=survey.event.slug, token=survey.public_token
    )
