"""A registrant's own mobile number and SMS consent (their manage page)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, text

from consult.errors import Conflict, ValidationFailed
from consult.extensions import db
from consult.phones import can_receive_sms, normalise_phone
from consult.registration.models import PHONE_ONLY, Registration
from consult.text import refuse_control_characters


def update_sms_settings(
    registration: Registration, raw_phone: str, consent: bool, *, now: datetime
) -> Registration:
    """Change the number (read in the region of the person's country, stored
    in E.164) and turn SMS on or off.

    Consent given is recorded with its time (again for a new number, and a
    STOP reply is undone: the person asked for SMS here). Consent withdrawn or
    a new number: SMS queued already are withdrawn when they would leave
    (consult.registration.services.sms). A person without an email address
    keeps a number: it is how their registration reaches them.
    """
    if registration.erased_at is not None:
        raise Conflict(_("This registration has been erased."))
    refuse_control_characters(raw_phone or "", "phone")
    phone = normalise_phone(raw_phone, registration.country or "")
    if consent and not phone:
        raise ValidationFailed(
            _("Give a mobile number to receive SMS, or untick the box."), "phone"
        )
    if consent and not can_receive_sms(phone):
        raise ValidationFailed(
            _("This number cannot receive SMS (it is not a mobile number)."), "phone"
        )
    if not phone and not registration.email and not registration.assisted:
        raise ValidationFailed(
            _(
                "You registered without an email address: keep a mobile "
                "number, so we can reach you."
            ),
            "phone",
        )
    if phone != registration.phone and _taken_by_another(registration, phone):
        raise ValidationFailed(
            _("This number is registered for this event already."), "phone"
        )
    changed = phone != registration.phone
    registration.phone = phone
    if not consent:
        registration.sms_consented_at = None
    elif changed or not registration.sms_allowed:
        registration.sms_consented_at = now
        registration.sms_stopped_at = None
    registration.updated_at = now
    db.session.flush()
    return registration


def _taken_by_another(registration: Registration, phone: str) -> bool:
    """Whether another public phone-only registration of the event has the
    number (one registration per number among them, see Registration)."""
    if not phone or registration.email or registration.assisted:
        return False
    return (
        db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == registration.event_id,
                Registration.id != registration.id,
                Registration.phone == phone,
                text(PHONE_ONLY),
            )
        )
        is not None
    )
