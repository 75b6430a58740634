"""A registrant's personal manage link, for every email that carries it.

Here, inside the services package, rather than in ``consult.registration.emails``:
the calendar's update and cancellation emails and the reminders need the link
too, and reaching it through the services package lets them import it at the
top of the module whichever of them Python loads first.
"""

from __future__ import annotations

from consult.links import external_url
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_token


def manage_url(registration: Registration) -> str:
    """The absolute personal manage link (built from SERVER_NAME outside requests)."""
    return external_url(
        "registration.manage",
        slug=registration.event.slug,
        token=manage_token(registration),
    )
