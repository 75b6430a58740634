"""The one time-zone field every form uses: type to filter, or pick.

A text input with a <datalist> filters as one types in any browser, without a
script; the server reads what was typed.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from consult.timeutil import is_valid_timezone
from consult.zones import canonical_zone, zones_in_order


@lru_cache(maxsize=64)
def _zone_datalist(list_id: str, first: tuple[str, ...]) -> Markup:
    # Built once per list and order: about 420 options.
    options = "".join(
        f'<option value="{escape(z)}">{escape(z.replace("_", " "))}</option>'
        for z in zones_in_order(first)
    )
    return Markup(f'<datalist id="{escape(list_id)}">{options}</datalist>')


class _ZoneInput:
    """A text input with a <datalist> of zones: typing filters the list."""

    def __call__(self, field, **kwargs):
        list_id = f"{field.id}-zones"
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("spellcheck", "false")
        attrs = html_params(
            name=field.name, type="text", value=field._value(), list=list_id, **kwargs
        )
        return Markup(f"<input {attrs}>") + _zone_datalist(list_id, field.first)


class TimezoneField(StringField):
    """A time zone, typed or picked: canonical names, the likely ones first.

    An old alias (Asia/Calcutta), a name with spaces or a city alone
    ("Berlin") is read as its canonical zone, so stored aliases and whatever
    a browser reports still display and validate. `first` lists the zones the
    page puts at the top (the event's own).
    """

    widget = _ZoneInput()

    def __init__(self, label=None, validators=None, first=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.first = tuple(first)

    def process_data(self, value):
        self.data = canonical_zone(value) or value

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "") or ""
        self.data = canonical_zone(raw) or raw.strip()

    def pre_validate(self, form):
        if self.data and not is_valid_timezone(self.data):
            raise ValidationError(
                _l(
                    "Choose a time zone from the list, such as Asia/Kuala_Lumpur "
                    "or Europe/Berlin."
                )
            )
