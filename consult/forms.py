"""Form glue shared by every area: the base form classes, a service's refusal
shown next to its field, and the one email field every form uses."""

from __future__ import annotations

import re

import flask_wtf
import wtforms
from wtforms import FieldList, FormField, StringField
from wtforms.widgets import TextArea, TextInput

from consult.errors import DomainError


def _walk(fields):
    for field in fields:
        if isinstance(field, FieldList):
            yield from _walk(field.entries)
        elif isinstance(field, FormField):
            yield from _walk(field.form)
        else:
            yield field


def show_error(form, exc: DomainError) -> None:
    """Put a service's message next to the field it names, else above the form."""
    target = next((f for f in _walk(form) if f.name == exc.field), None)
    if target is not None and exc.field:
        target.errors = [*target.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


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


class FlaskForm(_SingleLineFields, flask_wtf.FlaskForm):
    """The base of every form of the app (CSRF, one-line text fields)."""


class Form(_SingleLineFields, wtforms.Form):
    """The base of sub-forms (rows of a FieldList) and forms without CSRF."""


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
