"""Form glue shared by every area: a service's refusal shown next to its field,
and the one email field every form uses."""

from __future__ import annotations

from wtforms import FieldList, FormField, StringField
from wtforms.widgets import TextInput

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
