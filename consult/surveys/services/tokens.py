"""Personal survey links: a signed token naming one survey and one registration.

The token carries the registration's manage nonce, so erasing the registration
(which rotates the nonce) revokes every survey link mailed before.
"""

from __future__ import annotations

import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from consult.errors import NotFound
from consult.extensions import db
from consult.registration.models import Registration
from consult.surveys.models import Survey

SURVEY_SALT = "survey-answer"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SURVEY_SALT)


def survey_token(survey: Survey, registration: Registration) -> str:
    """The token of one registrant's personal link to one survey."""
    return _serializer().dumps(
        {"s": survey.id, "id": registration.id, "n": registration.manage_nonce}
    )


def registration_for_survey(survey: Survey, token: str) -> Registration:
    """The registration a survey token opens; NotFound for a bad or foreign token."""
    try:
        payload = _serializer().loads(token)
    except BadSignature as exc:
        raise NotFound("survey link") from exc
    if not isinstance(payload, dict):
        raise NotFound("survey link")
    survey_id, reg_id, nonce = payload.get("s"), payload.get("id"), payload.get("n")
    if (
        survey_id != survey.id
        or not isinstance(reg_id, int)
        or not isinstance(nonce, str)
    ):
        raise NotFound("survey link")
    registration = db.session.get(Registration, reg_id)
    if (
        registration is None
        or registration.event_id != survey.event_id
        or not hmac.compare_digest(registration.manage_nonce.encode(), nonce.encode())
    ):
        raise NotFound("survey link")
    return registration
