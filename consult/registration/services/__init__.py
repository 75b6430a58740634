"""Registration services: seats and waiting list, registering, manage links.

Every service takes ``now`` (and the acting user where one acts), flushes and
never commits, and raises domain errors from consult.errors.
"""

from consult.registration.services import cloning as _cloning  # noqa: F401 (parts)
from consult.registration.services import sms as _sms  # noqa: F401 (its composer)
from consult.registration.services.form_data import FormData, form_data
from consult.registration.services.lifecycle import (
    approve,
    cancel_registration,
    reject,
    update_details,
    withdraw,
)
from consult.registration.services.privacy import erase, export_personal_data
from consult.registration.services.register import (
    RegistrationResult,
    check_registration,
    place,
    register,
    registration_open,
)
from consult.registration.services.seats import (
    add_to_waitlist,
    ensure_stakeholder_types,
    lock_event,
    promote_from_waitlist,
    release_seat,
    seat_available,
    stakeholder_types,
    take_seat,
)
from consult.registration.services.tokens import (
    manage_token,
    registration_from_token,
)
from consult.registration.services.validation import (
    DetailsData,
    RegistrationData,
    questions_for,
)

# Re-exported for the test factories, which make registrations the way
# `register` does; the one implementation is in consult.signing.

__all__ = [
    "DetailsData",
    "FormData",
    "form_data",
    "RegistrationData",
    "RegistrationResult",
    "approve",
    "cancel_registration",
    "erase",
    "export_personal_data",
    "place",
    "questions_for",
    "check_registration",
    "register",
    "registration_open",
    "reject",
    "update_details",
    "withdraw",
    "add_to_waitlist",
    "ensure_stakeholder_types",
    "lock_event",
    "manage_token",
    "promote_from_waitlist",
    "registration_from_token",
    "release_seat",
    "seat_available",
    "stakeholder_types",
    "take_seat",
]
