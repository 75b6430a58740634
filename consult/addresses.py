"""Email address syntax, checked once per address per process.

A registration checks the same address three times (the form, the service,
the outbox), and `email_validator` is about a tenth of a millisecond each
time; the answer depends on nothing but the address, so it is kept.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

from consult.errors import ValidationFailed

SENDER_NAME_MAX = 120
REPLY_TO_MAX = 254
# Line breaks would start a header of their own; angle brackets would make
# the name look like (or hide) another address.
_FORBIDDEN_IN_NAME = re.compile(r"[\r\n<>]")


@lru_cache(maxsize=4096)
def email_syntax(address: str) -> tuple[str, str]:
    """(the normalised address, "") if valid, else ("", why not)."""
    try:
        return validate_email(address, check_deliverability=False).normalized, ""
    except EmailNotValidError as exc:
        return "", str(exc)


def checked_sender(name: str | None, reply_to: str | None) -> tuple[str, str]:
    """An event's email sender, (display name, Reply-To), cleaned; or
    ValidationFailed naming the field (``consult.notifications.sender``)."""
    name = (name or "").strip()
    if _FORBIDDEN_IN_NAME.search(name):
        raise ValidationFailed(
            _("The name cannot contain line breaks or angle brackets (< >)."),
            "sender_name",
        )
    name = " ".join(name.split())
    if len(name) > SENDER_NAME_MAX:
        raise ValidationFailed(
            _("At most %(n)d characters, please.", n=SENDER_NAME_MAX), "sender_name"
        )
    reply_to = (reply_to or "").strip()
    if reply_to:
        normalised, _why = email_syntax(reply_to)
        local = normalised.rpartition("@")[0]
        # A non-ASCII local part could only travel with SMTPUTF8.
        if not normalised or len(normalised) > REPLY_TO_MAX or not local.isascii():
            raise ValidationFailed(
                _("Enter one email address, such as events@example.org."),
                "reply_to",
            )
        reply_to = normalised
    return name, reply_to


def site_sender() -> tuple[str, str]:
    """(display name, address) of the site's From (``MAIL_DEFAULT_SENDER``)."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"] or "")
