"""The one calendar-date field (DayField): a date in, a date out, the same
years as every date people enter, rendered as ``<input type="date">``."""

from __future__ import annotations

from datetime import date, timedelta

from werkzeug.datastructures import MultiDict

from consult.forms import DayField, Form
from tests.clock import FIXED_NOW


class _Form(Form):
    due = DayField("Due", required=True)
    start = DayField("Start", required=False)


def _form(**values) -> _Form:
    form = _Form(formdata=MultiDict(values))
    form.validate()
    return form


def test_a_day_is_read_as_a_date_and_shown_again(app):
    day = FIXED_NOW.date() + timedelta(days=40)
    form = _form(due=day.isoformat(), start="")
    assert form.errors == {}
    assert form.due.data == day and form.start.data is None
    html = _Form(formdata=None, data={"due": day}).due()
    assert 'type="date"' in html and f'value="{day.isoformat()}"' in html
    assert 'min="2000-01-01"' in html
    assert f'max="{FIXED_NOW.year + 20:04d}-12-31"' in html


def test_days_out_of_range_and_nonsense_are_refused_beside_the_field(app):
    last = FIXED_NOW.year + 20
    message = f"Enter a date between 2000 and {last}."
    for value in ("9999-12-31", "1999-12-31", f"{last + 1}-01-01"):
        assert _form(due=value).due.errors == [message]
    assert _form(due="31/12/2030").due.errors == ["Enter a date."]
    assert _form(due="").due.errors == ["This field is required."]
    assert _form(due="2000-01-01").due.data == date(2000, 1, 1)
    kept = _form(due="31/12/2030").due._value()
    assert kept == "31/12/2030"  # what was typed comes back
