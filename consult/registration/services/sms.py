"""Registration SMS: the same kinds as the registration emails, written short.

A registration whose person gave a mobile number and ticked "Send me SMS"
gets a text message beside each registration email (queued by
``queue_registration_email``, or by the public fast path): one outbox row
with ``channel = "sms"`` that the sender composes when its turn comes, in the
person's language, with their short manage link; the dial-in details for a
confirmed seat. Withdrawn like the email when the person cancelled, erased
their data, changed their number or stopped SMS (a STOP reply).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.content import text_in
from consult.dial_in import dial_in_for
from consult.languages import composing_for
from consult.notifications.composers import Composed, Withdrawn, register_composer
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.emails import (
    SEATED_KINDS,
    addressed_registration_any,
    check_still_stated,
)
from consult.registration.services.sms_queue import COMPOSER
from consult.registration.services.tokens import short_manage_url
from consult.timeutil import format_datetime

TEXTS = {
    "confirmed": lambda: _("%(title)s: you are registered. %(when)s."),
    "approved": lambda: _("%(title)s: your registration is approved. %(when)s."),
    "promoted": lambda: _("%(title)s: a seat is free for you. %(when)s."),
    "waitlisted": lambda: _("%(title)s: you are on the waiting list."),
    "pending": lambda: _("%(title)s: your registration awaits approval."),
    "rejected": lambda: _("%(title)s: your registration was not accepted."),
    "cancelled": lambda: _("%(title)s: your registration is cancelled."),
    "link_resent": lambda: _("%(title)s: your registration link."),
}

# After these the link is of no use: it is left out.
NO_LINK_KINDS = {"rejected"}


def texted_registration(row: OutboundEmail) -> Registration:
    """The registration an SMS is to, as it is now; Withdrawn when it must not go."""
    registration = addressed_registration_any(row)
    if registration.phone != row.recipient:
        raise Withdrawn(
            _("The registration's phone number changed before this message left.")
        )
    if registration.sms_stopped_at is not None:
        raise Withdrawn(_("The person replied STOP: no more SMS to this number."))
    if registration.sms_consented_at is None:
        raise Withdrawn(_("The person no longer agrees to receive SMS."))
    return registration


def compose_registration_sms(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued registration SMS, from the registration as it is now."""
    kind = (row.params or {}).get("kind")
    if kind not in TEXTS:
        raise ValueError(f"unknown registration SMS {kind!r}")
    registration = texted_registration(row)
    check_still_stated(kind, registration)
    with composing_for(registration) as language:
        text = registration_sms_text(registration, kind)
    return Composed(subject="", body_text=text, body_html="", language=language)


def registration_sms_text(registration: Registration, kind: str) -> str:
    """The SMS of one kind, in the current language (the caller chose it)."""
    event = registration.event
    zone = registration.timezone or event.timezone
    lines = [
        TEXTS[kind]()
        % {
            "title": text_in(event, "title"),
            "when": format_datetime(event.start_at, zone),
        }
    ]
    seated = kind in SEATED_KINDS and registration.status == "confirmed"
    dial_in = dial_in_for(event, registration.country) if seated else None
    if dial_in is not None:
        number = dial_in.numbers[0].international
        if dial_in.code:
            lines.append(
                _(
                    "Join by phone: %(number)s, code %(code)s",
                    number=number,
                    code=dial_in.code,
                )
            )
        else:
            lines.append(_("Join by phone: %(number)s", number=number))
    if kind not in NO_LINK_KINDS:
        lines.append(short_manage_url(registration))
    return "\n".join(lines)


register_composer(COMPOSER, compose_registration_sms)
