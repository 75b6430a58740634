"""Form glue shared by every area: a service's refusal shown next to its field,
the one email field and the one whole-number field every form uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, StringField
from wtforms import IntegerField as _WTFormsIntegerField
from wtforms.validators import StopValidation
from wtforms.widgets import NumberInput, TextInput

from consult.errors import DomainError
from consult.numbers import INT_MAX, INT_MIN, parse_int


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
