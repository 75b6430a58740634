"""Who a survey is for, and whose responses count: as SQL and as a check.

The people come from ``consult.registration.counting`` (``respondent``): a
named response counts while its registrant is in the survey's audience today,
so the responses and the response rate count the same people, each in their
current stakeholder type. Anonymous responses and those through a public link
have no registration and count as submitted, under the type stored with them.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, or_, select, true

from consult.registration import counting
from consult.registration.models import Registration
from consult.surveys.models import Survey, SurveyResponse, survey_audience_types


def _audience_condition(survey: Survey):
    """The WHERE clause selecting a survey's audience among registrations."""
    base = and_(Registration.event_id == survey.event_id, counting.respondent())
    if survey.audience == "attendees":
        return and_(base, counting.attended())
    if survey.audience == "types":
        chosen = select(survey_audience_types.c.stakeholder_type_id).where(
            survey_audience_types.c.survey_id == survey.id
        )
        return and_(base, Registration.stakeholder_type_id.in_(chosen))
    return base


def counted_response(survey: Survey):
    """WHERE clause: a response of this survey that counts; needs Registration
    outer-joined on ``SurveyResponse.registration_id`` (``with_registration``).

    An anonymous survey's responses have no registration (and a survey cannot
    switch between anonymous and named once it has responses): all count.
    """
    if survey.anonymous:
        return true()
    return or_(
        SurveyResponse.registration_id.is_(None),
        and_(Registration.id.is_not(None), _audience_condition(survey)),
    )


def counted_response_of_any_survey():
    """``counted_response`` for queries over several surveys: needs Survey
    joined and Registration outer-joined on the response."""
    chosen = exists().where(
        survey_audience_types.c.survey_id == Survey.id,
        survey_audience_types.c.stakeholder_type_id == Registration.stakeholder_type_id,
    )
    return or_(
        SurveyResponse.registration_id.is_(None),
        and_(
            Registration.id.is_not(None),
            Registration.event_id == Survey.event_id,
            counting.respondent(),
            or_(
                Survey.audience.in_(("confirmed", "public")),
                and_(Survey.audience == "attendees", counting.attended()),
                and_(Survey.audience == "types", chosen),
            ),
        ),
    )


def with_registration(query, survey: Survey | None = None):
    """The query with the responses' registrations outer-joined (not for an
    anonymous ``survey``, whose responses have none: a join for nothing)."""
    if survey is not None and survey.anonymous:
        return query
    return query.outerjoin(
        Registration, Registration.id == SurveyResponse.registration_id
    )


def response_group(survey: Survey | None = None):
    """The stakeholder type a response counts in: the registrant's current
    type; the stored one for anonymous and public-link responses (for an
    anonymous ``survey``, without the registrations joined)."""
    if survey is not None and survey.anonymous:
        return SurveyResponse.stakeholder_type_id
    return func.coalesce(
        Registration.stakeholder_type_id, SurveyResponse.stakeholder_type_id
    )


def audience_registrations(survey: Survey) -> Select:
    """A select of the Registration rows a survey is for (none for a public survey).

    Registrants answer through their personal link; a public survey is
    answered through its public link only, so it has no registrant audience.
    """
    query = select(Registration)
    if survey.audience == "public":
        return query.where(Registration.id.is_(None))
    return query.where(_audience_condition(survey)).order_by(
        Registration.full_name, Registration.id
    )


def in_audience(survey: Survey, registration: Registration) -> bool:
    """True when this registrant may answer this survey through a personal link."""
    if survey.audience == "public" or registration.event_id != survey.event_id:
        return False
    if (
        registration.status not in counting.SURVEY_STATUSES
        or registration.erased_at is not None
    ):
        return False
    if survey.audience == "attendees":
        return registration.checked_in_at is not None or bool(registration.attended)
    if survey.audience == "types":
        return registration.stakeholder_type_id in {t.id for t in survey.audience_types}
    return True
