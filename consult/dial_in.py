"""Dial-in numbers of an event: checking what an organiser types, and the one
place that words them for a reader (emails, the manage page, calendar invites,
and any later text message).

An event stores its numbers as a JSON list of ``{"country", "number",
"label"}`` (the country an ISO 3166-1 alpha-2 code, the number in E.164 form)
and one access code. Like the join link, they are for confirmed people only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from babel import Locale
from flask import has_app_context
from flask_babel import gettext as _

from consult.errors import ValidationFailed

MAX_NUMBERS = 30
MAX_LABEL = 60
MAX_CODE = 32
MAX_LINE = 200
_CODE = re.compile(r"[0-9#* ]+")


@dataclass(frozen=True)
class DialInNumber:
    """One number: the country it serves, E.164 digits, the organiser's label."""

    country: str
    number: str
    label: str = ""

    @property
    def international(self) -> str:
        """``+60 3-2123 4567``: how the number is shown everywhere."""
        parsed = phonenumbers.parse(self.number, None)
        return phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.number}"

    def country_name(self) -> str:
        """The country's name in the reader's language."""
        return country_name(self.country)

    def line(self) -> str:
        """``Malaysia (toll-free): +60 3-2123 4567`` in the reader's language."""
        if self.label:
            return _(
                "%(country)s (%(label)s): %(number)s",
                country=self.country_name(),
                label=self.label,
                number=self.international,
            )
        return _(
            "%(country)s: %(number)s",
            country=self.country_name(),
            number=self.international,
        )

    def stored(self) -> dict:
        return {"country": self.country, "number": self.number, "label": self.label}


@dataclass(frozen=True)
class DialIn:
    """What a confirmed person is told about joining by phone."""

    numbers: tuple[DialInNumber, ...]
    code: str = ""

    def lines(self) -> list[str]:
        """The whole dial-in text, one line each, in the reader's language:
        for plain-text emails, calendar descriptions and text messages."""
        lines = [_("Or join by phone:")]
        lines.extend(number.line() for number in self.numbers)
        if self.code:
            lines.append(_("Access code: %(code)s", code=self.code))
        return lines

    def text(self) -> str:
        return "\n".join(self.lines())


def dial_in_for(event, country: str | None = None) -> DialIn | None:
    """The event's dial-in details, the numbers of ``country`` (the reader's)
    first; None when the event has no numbers."""
    numbers = stored_numbers(event)
    if not numbers:
        return None
    if country:
        own = [n for n in numbers if n.country == country]
        numbers = own + [n for n in numbers if n.country != country]
    return DialIn(numbers=tuple(numbers), code=event.dial_in_code or "")


def stored_numbers(event) -> list[DialInNumber]:
    return [
        DialInNumber(
            country=item.get("country", ""),
            number=item.get("number", ""),
            label=item.get("label", ""),
        )
        for item in (event.dial_in_numbers or [])
        if item.get("number")
    ]


def numbers_as_text(event) -> str:
    """The event's numbers as the edit form shows them, one per line."""
    return "\n".join(
        ", ".join(part for part in (n.country, n.international, n.label) if part)
        for n in stored_numbers(event)
    )


def country_name(code: str) -> str:
    names = Locale.parse(_current_locale()).territories
    return names.get(code) or Locale.parse("en").territories.get(code) or code


def _current_locale() -> str:
    if not has_app_context():
        return "en"
    from flask_babel import get_locale

    return str(get_locale() or "en")


# Checking what the organiser typed


def parse_numbers(text: str | None) -> list[DialInNumber]:
    """Numbers from the form's lines ``country code, number, label``.

    The country may be left out when the number starts with + and its country
    code; a number must be a valid one of the country given. Raises
    ValidationFailed naming the line at fault.
    """
    numbers: list[DialInNumber] = []
    lines = [line.strip() for line in (text or "").splitlines()]
    for position, line in enumerate(lines, start=1):
        if not line:
            continue
        number = _parse_line(line, position)
        if any(n.number == number.number for n in numbers):
            raise ValidationFailed(
                _(
                    "Line %(line)d: “%(number)s” is already listed above.",
                    line=position,
                    number=number.international,
                ),
                field="dial_in_numbers",
            )
        numbers.append(number)
    if len(numbers) > MAX_NUMBERS:
        raise ValidationFailed(
            _("At most %(n)d dial-in numbers, please.", n=MAX_NUMBERS),
            field="dial_in_numbers",
        )
    return numbers


def _parse_line(line: str, position: int) -> DialInNumber:
    def problem(message: str) -> ValidationFailed:
        return ValidationFailed(
            _("Line %(line)d: %(problem)s", line=position, problem=message),
            field="dial_in_numbers",
        )

    if len(line) > MAX_LINE or any(ord(ch) < 32 for ch in line):
        raise problem(_("this line is too long or holds control characters."))
    parts = [part.strip() for part in line.split(",")]
    country = ""
    if len(parts[0]) == 2 and parts[0].isascii() and parts[0].isalpha():
        country = parts.pop(0).upper()
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise problem(
                _(
                    "“%(code)s” is not a two-letter country code, like MY or GB.",
                    code=country,
                )
            )
    if not parts or not parts[0]:
        raise problem(_("give a phone number after the country code."))
    typed, label = parts[0], ", ".join(p for p in parts[1:] if p)
    if not country and not typed.startswith("+"):
        raise problem(
            _(
                "start the line with the country's two-letter code (like MY), "
                "or give the number with + and its country code."
            )
        )
    try:
        parsed = phonenumbers.parse(typed, country or None)
    except phonenumbers.NumberParseException:
        raise problem(_("“%(number)s” is not a phone number.", number=typed)) from None
    if not phonenumbers.is_valid_number(parsed):
        raise problem(_("“%(number)s” is not a valid phone number.", number=typed))
    found = phonenumbers.region_code_for_number(parsed)
    if country and not phonenumbers.is_valid_number_for_region(parsed, country):
        raise problem(
            _(
                "“%(number)s” is not a number in %(country)s.",
                number=typed,
                country=country_name(country),
            )
        )
    if len(label) > MAX_LABEL:
        raise problem(_("a label may have at most %(n)d characters.", n=MAX_LABEL))
    return DialInNumber(
        country=country or found or "",
        number=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        label=label,
    )


def clean_code(code: str | None, *, has_numbers: bool) -> str:
    """The access code: digits, # and * (spaces between groups kept single)."""
    code = " ".join((code or "").split())
    if not code:
        return ""
    if len(code) > MAX_CODE or not _CODE.fullmatch(code):
        raise ValidationFailed(
            _(
                "An access code has digits, # and * only (spaces allowed), "
                "at most %(n)d characters.",
                n=MAX_CODE,
            ),
            field="dial_in_code",
        )
    if not has_numbers:
        raise ValidationFailed(
            _("Add at least one dial-in number for this access code."),
            field="dial_in_code",
        )
    return code
