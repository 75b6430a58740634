"""Personal survey links: a signed token naming one survey and one registration.

The token carries the registration's manage nonce, so erasing the registration
(which rotates the nonce) revokes every survey link mailed before.
"""

from __future__ import annotations

from consult.errors import NotFound
from consult.extensions import db
from consult.registration.models import Registration
from consult.signing import row_from_token, sign_row
from consult.surveys.models import Survey


def survey_token(survey: Survey, registration: Registration) -> str:
    """The token of one registrant's personal link to one survey."""
    return sign_row(
        "survey-answer", registration.id, registration.manage_nonce, s=survey.id
    )


def registration_for_survey(survey: Survey, token: str) -> Registration:
    """The registration a survey token opens; NotFound for a bad or foreign token."""
    registration = row_from_token(
        "survey-answer",
        token,
        get=lambda reg_id: db.session.get(Registration, reg_id),
        nonce_of=lambda r: r.manage_nonce,
        s=survey.id,
    )
    if registration is None or registration.event_id != survey.event_id:
        raise NotFound("survey link")
    return registration
