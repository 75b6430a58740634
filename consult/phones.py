"""People's phone numbers: checked with ``phonenumbers`` and kept in E.164.

A number written without ``+`` is read in the region of the person's country
(the registration's country preselects it); one with ``+`` stands on its own.
The same normalisation serves the public form, the organiser's assisted form
and the facilitator's form (all of them go through ``clean_contact``).
"""

from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _

from consult.errors import ValidationFailed

MAX_INPUT = 40
# Types a text message may reach; FIXED_LINE_OR_MOBILE is what many countries
# (the US among them) report for every valid number.
_TEXTABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.PAGER,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.UNKNOWN,
}


def normalise_phone(raw: str, country: str = "", *, field: str = "phone") -> str:
    """``+60123456789`` for a valid number, '' for none, else ValidationFailed."""
    text = (raw or "").strip()
    if not text:
        return ""
    if len(text) > MAX_INPUT:
        raise ValidationFailed(
            _("At most %(n)d characters, please.", n=MAX_INPUT), field
        )
    region = (country or "").strip().upper() or None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        if region is None and not text.startswith("+"):
            message = _(
                "Start the number with + and the country code (for example "
                "+60 12 345 6789), or choose your country first."
            )
        else:
            message = _(
                "This is not a valid phone number. Check the digits, or write it "
                "with + and the country code."
            )
        raise ValidationFailed(message, field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_e164(number: str) -> bool:
    """Whether a stored number is a valid E.164 number (older rows hold free text)."""
    if not number or not number.startswith("+"):
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        == number
    )


def can_receive_sms(number: str) -> bool:
    """False for a number that is certainly not a mobile (a landline, toll-free)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(parsed) in _TEXTABLE


def shown_phone(number: str) -> str:
    """``+60 12-345 6789`` for an E.164 number; anything else as it is."""
    if not is_e164(number):
        return number or ""
    return phonenumbers.format_number(
        phonenumbers.parse(number, None),
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
