"""Form glue shared by every area: the base form classes, a service's refusal
shown next to its field, a form page's status, the one email field, the one
whole-number field, the one date-and-time field and the one "Language for
messages" field every form uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import flask_wtf
import wtforms
from babel import support
from flask import has_request_context, render_template
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, StringField
from wtforms import IntegerField as _WTFormsIntegerField
from wtforms.fields import DateTimeLocalField
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError
from wtforms.widgets import DateInput, ListWidget, NumberInput, TextArea, TextInput

from consult.addresses import email_syntax
from consult.errors import DomainError
from consult.languages import is_language, language_choices
from consult.numbers import INT_MAX, INT_MIN, parse_int
from consult.timeutil import (
    date_in_range,
    date_range_message,
    date_range_years,
    wall_or_utc,
)


def _walk(fields):
    for field in fields:
        if isinstance(field, FieldList):
            yield from _walk(field.entries)
        elif isinstance(field, FormField):
            yield from _walk(field.form)
        else:
            yield field


def _field_named(form, name: str | None):
    if not name:
        return None
    return next((f for f in _walk(form) if f.name == name), None)


def show_error(
    form, exc: DomainError, *, beside_checked: bool = False, names=None
) -> None:
    """Put each of a service's messages next to the field it names, else above
    the form. ``beside_checked``: the form's own checks failed too, so a field
    they refused already says what is wrong with it and gets nothing more.
    ``names``: the form's name for a field the service calls otherwise."""
    for name, message in exc.problems:
        target = _field_named(form, (names or {}).get(name or "", name))
        if target is None:
            if message not in form.form_errors:
                form.form_errors.append(message)
        elif not (beside_checked and target.errors) and message not in target.errors:
            target.errors = [*target.errors, message]


@dataclass(frozen=True)
class FormProblem:
    """One line of a form's error summary: where to go, what it is called, why."""

    target: str | None  # the id the summary links to; None: about the whole form
    label: str
    messages: tuple[str, ...]


def _link_target(field) -> str | None:
    if field.type in ("HiddenField", "CSRFTokenField"):
        return None
    if getattr(field, "link_target", None):
        # A group laid out by hand, its options' ids its own (the form says).
        return field.link_target
    if isinstance(field.widget, ListWidget):
        # A group of options (radios, checkboxes): the first option.
        return f"{field.id}-0"
    return field.id


def form_problems(form) -> list[FormProblem]:
    """Everything wrong with a submitted form, in page order, for its summary:
    the form's own messages first, then each field's, linked to the field."""
    problems = [FormProblem(None, "", (str(m),)) for m in form.form_errors]
    for field in _walk(form):
        if field.errors and isinstance(field.errors, list | tuple):
            label = field.label.text if field.label else ""
            messages = tuple(str(m) for m in field.errors)
            problems.append(FormProblem(_link_target(field), str(label), messages))
    return problems


def render_form(template: str, form, **context):
    """Render a form page; 422 when a submitted form comes back with errors."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


# C0 controls but the tab, DEL, C1 controls and the separators str.splitlines()
# breaks on: none belongs in a one-line input, and each can end a mail header.
_NOT_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
SINGLE_LINE_MESSAGE = (
    "Enter this on one line, without line breaks or control characters."
)


def _single_line(field) -> bool:
    """A text input (not a textarea): its value must stay on one line."""
    if not isinstance(field, StringField):
        return False
    return not isinstance(field.widget, TextArea)


def _check_single_lines(form) -> bool:
    ok = True
    for field in _walk(form):
        values = getattr(field, "raw_data", None) or []
        if _single_line(field) and any(
            isinstance(v, str) and _NOT_ONE_LINE.search(v) for v in values
        ):
            ok = False
            if SINGLE_LINE_MESSAGE not in field.errors:
                field.errors = [*field.errors, SINGLE_LINE_MESSAGE]
    return ok


class _SingleLineFields:
    """Refuses line breaks and control characters in every one-line text field
    (names, subjects, addresses...), whatever the field: they end up in mail
    headers, CSV cells and logs. Textareas keep their line breaks."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        return _check_single_lines(self) and valid


# -- WTForms' own messages in the reader's language ---------------------------


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel's N_) without translating it."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """N_ for a message with a plural (extracted with ``-k Nn_:1,2``)."""
    return singular, plural


# The messages WTForms' fields and validators give, listed so that they are in
# translations/messages.pot and every language can have them (WTForms' own
# catalogues lack Malay, Indonesian and Vietnamese).
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Field must be equal to %(other_name)s."),
    Nn_(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    Nn_(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    Nn_(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    Nn_(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
)
# WTForms names its catalogues by region where Consult names them by script.
_WTFORMS_CATALOGUE = {"zh_Hans": "zh", "zh_Hant": "zh_TW"}


@cache
def _wtforms_catalogue(locale: str):
    name = _WTFORMS_CATALOGUE.get(locale, locale)
    return support.Translations.load(messages_path(), [name], domain="wtforms")


class _FormTranslations:
    """WTForms' messages from Consult's catalogue, else from WTForms' own for
    the same language, else in English (a form outside a request: English)."""

    def _catalogues(self):
        if not has_request_context():
            return []
        return [get_translations(), _wtforms_catalogue(str(get_locale()))]

    def gettext(self, string: str) -> str:
        for catalogue in self._catalogues():
            translated = catalogue.ugettext(string)
            if translated != string:
                return translated
        return string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        english = singular if n == 1 else plural
        for catalogue in self._catalogues():
            translated = catalogue.ungettext(singular, plural, n)
            if translated != english:
                return translated
        return english


FORM_TRANSLATIONS = _FormTranslations()


class FlaskForm(_SingleLineFields, flask_wtf.FlaskForm):
    """The base of every form of the app (CSRF, one-line text fields)."""

    class Meta:
        def get_translations(self, form):
            return FORM_TRANSLATIONS


class Form(_SingleLineFields, wtforms.Form):
    """The base of sub-forms (rows of a FieldList) and forms without CSRF."""

    class Meta:
        def get_translations(self, form):
            return FORM_TRANSLATIONS


class _AnyAddressInput(TextInput):
    def __call__(self, field, **kwargs):
        # Always text, even where a template asks for type="email".
        kwargs["type"] = "text"
        kwargs.setdefault("inputmode", "email")
        kwargs.setdefault("spellcheck", "false")
        return super().__call__(field, **kwargs)


class EmailField(StringField):
    """An email address in a text input that lets every address through.

    ``<input type="email">`` makes browsers refuse an address with a
    non-ASCII local part (Chromium: "A part followed by '@' should not
    contain the symbol 'í'"), which the services accept and the outbox
    delivers (SMTPUTF8), so one form would take sofía@… and another not.
    ``inputmode="email"`` keeps the email keyboard on phones; the services
    check the address, the same way for every form.
    """

    widget = _AnyAddressInput()


class EmailAddress:
    """WTForms' ``Email`` check through ``consult.addresses.email_syntax``.

    The same rules (``email_validator``, no deliverability look-up) and the
    same message, but the answer is kept per process, so the service and the
    outbox checking the same address again cost nothing.
    """

    def __call__(self, form, field) -> None:
        if email_syntax(field.data or "")[1]:
            raise ValidationError(field.gettext("Invalid email address."))


class WallClockField(DateTimeLocalField):
    """The one local date-and-time field (``datetime-local``): a wall-clock time
    in the event's zone, in the years people may enter.

    Every date field of every form is this one (tests/security checks), so a
    date in 9999 or year 1 is refused next to its field, with the range in the
    message, before a service sees it; the services check again
    (``consult.timeutil.to_utc``). ``required`` picks InputRequired() or
    Optional(); ``from_instant`` gives the value that fills it from a stored
    UTC instant.
    """

    # The first format renders the value; browsers send "YYYY-MM-DDTHH:MM".
    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")

    def __init__(self, label=None, validators=None, *, required=None, **kwargs):
        if required is not None:
            validators = [InputRequired() if required else Optional()]
        kwargs.setdefault("format", list(self.FORMATS))
        kwargs.setdefault("invalid_value_message", _l("Enter a date and time."))
        super().__init__(label, validators, **kwargs)

    @staticmethod
    def from_instant(moment: datetime | None, zone: str) -> datetime | None:
        """The naive wall time that shows a UTC instant in ``zone`` (None stays
        None); one out of the zone's range shows in UTC (``wall_or_utc``)."""
        return wall_or_utc(moment, zone)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        # strftime writes year 1 as "1-01-01", which no browser or parser reads.
        return f"{self.data.year:04d}-{self.data:%m-%dT%H:%M}"

    def __call__(self, **kwargs):
        first, last = date_range_years()
        kwargs.setdefault("min", f"{first:04d}-01-01T00:00")
        kwargs.setdefault("max", f"{last:04d}-12-31T23:59")
        return super().__call__(**kwargs)

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.data is None:
            return
        if not date_in_range(self.data):
            self.errors.append(date_range_message())


class IntegerField(_WTFormsIntegerField):
    """A whole number from ``low`` to ``high``, never beyond the column's range.

    WTForms' own field takes whatever ``int()`` takes ("1_000", "١٢", 10^30),
    and a number past the column's range made the INSERT fail with a 500.
    Anything but ASCII digits in [low, high] is refused with one message next
    to the field that says the range; ``low`` and ``high`` are also the
    input's min and max. An empty value is None, for InputRequired() or
    Optional() to judge.
    """

    widget = NumberInput()

    def __init__(self, label=None, validators=None, *, low=0, high=INT_MAX, **kw):
        if not INT_MIN <= low <= high <= INT_MAX:
            raise ValueError(f"bounds {low}..{high} exceed an INTEGER column")
        self.low, self.high = low, high
        render_kw = {"min": low, "max": high, **(kw.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kw)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = str(valuelist[0] if valuelist[0] is not None else "")
        self.data = parse_int(raw, low=self.low, high=self.high)
        if self.data is None and raw.strip():
            raise ValueError(self.range_message())
        # Empty: None, for InputRequired() or Optional() to judge.

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the range message says it all

    def range_message(self) -> str:
        return str(
            _l(
                "Enter a whole number from %(low)s to %(high)s.",
                low=f"{self.low:,}",
                high=f"{self.high:,}",
            )
        )


class LanguageField(wtforms.SelectField):
    """ "Language for messages": one of the interface languages, each named in
    itself; ``prefill()`` gives it a value when none was submitted or stored.

    Not submitted at all (an older form, a script), it keeps the default; an
    unknown code gets a clear error (not WTForms' "Not a valid choice"). The
    services check the value again (consult.languages.is_language).
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault(
            "description",
            _l("Emails and calendar invites to you are written in this language."),
        )
        super().__init__(
            label or _l("Language for messages"),
            validators or [],
            validate_choice=False,
            **kwargs,
        )

    def prefill(self, default: str) -> None:
        """Choices for this app, and ``default`` unless a known value is set."""
        self.choices = language_choices()
        if not self.raw_data and not is_language(self.data):
            self.data = default

    def pre_validate(self, form) -> None:
        if not is_language(self.data):
            raise StopValidation(_l("Choose a language from the list."))


def invitee_language_field() -> LanguageField:
    """The language an organiser chooses for someone they invite by email
    (an expert, a city's representative); prefill it with the event's."""
    return LanguageField(
        _l("Their language for messages"),
        description=_l(
            "The invitation and later emails to them are written in this "
            "language; they can change it on their page."
        ),
    )


class DayField(WallClockField):
    """The one calendar-date field (``<input type="date">``): a day on a
    calendar (a milestone's due date, an action's start), in the same years
    as every other date, refused next to the field when out of range.

    Its value is a ``date``; a date and time sent by a script counts as its
    day. A subclass of the date-and-time field, so every bound it has (the
    years, the message, tests/security's list of date fields) holds here too.
    """

    FORMATS = ("%Y-%m-%d", *WallClockField.FORMATS)
    widget = DateInput()

    def __init__(self, label=None, validators=None, *, required=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Enter a date."))
        super().__init__(label, validators, required=required, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, datetime):
            self.data = self.data.date()

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return f"{self.data.year:04d}-{self.data:%m-%d}"

    def __call__(self, **kwargs):
        first, last = date_range_years()
        kwargs.setdefault("min", f"{first:04d}-01-01")
        kwargs.setdefault("max", f"{last:04d}-12-31")
        return super().__call__(**kwargs)
