"""Who a survey is for: the audience rules in one place, as SQL and as a check."""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select

from consult.registration.models import Registration
from consult.surveys.models import Survey, survey_audience_types


def _audience_condition(survey: Survey):
    """The WHERE clause selecting a survey's audience among registrations."""
    base = and_(
        Registration.event_id == survey.event_id,
        Registration.status == "confirmed",
        Registration.erased_at.is_(None),
    )
    if survey.audience == "attendees":
        return and_(
            base,
            or_(Registration.checked_in_at.is_not(None), Registration.attended),
        )
    if survey.audience == "types":
        chosen = select(survey_audience_types.c.stakeholder_type_id).where(
            survey_audience_types.c.survey_id == survey.id
        )
        return and_(base, Registration.stakeholder_type_id.in_(chosen))
    return base


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
    if registration.status != "confirmed" or registration.erased_at is not None:
        return False
    if survey.audience == "attendees":
        return registration.checked_in_at is not None or bool(registration.attended)
    if survey.audience == "types":
        return registration.stakeholder_type_id in {t.id for t in survey.audience_types}
    return True
