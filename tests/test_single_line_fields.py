"""One-line text fields refuse line breaks and control characters, in every
form (issue 16, item 5): the base form classes of consult/forms.py."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField

import consult
from consult.forms import SINGLE_LINE_MESSAGE, FlaskForm, Form, _SingleLineFields


class _Row(Form):
    label = StringField()


class _Sample(FlaskForm):
    name = StringField()
    password = PasswordField()
    notes = TextAreaField()
    tags = FieldList(StringField(), min_entries=1)
    row = FormField(_Row)


def _validate(app, **data):
    values = {"name": "Siti", "password": "pw", "notes": "", "tags-0": "a"}
    values.update(data)
    with app.test_request_context(method="POST", data=MultiDict(values)):
        form = _Sample(meta={"csrf": False})
        return form.validate(), form


@pytest.mark.parametrize(
    "bad",
    [
        "a\r\nBcc: x@evil.example",
        "a\nb",
        "a\rb",
        "a\x00",
        "a\x1b[31m",
        "a\u2028b",
        "a\x85b",
    ],
)
def test_line_breaks_and_controls_are_refused_next_to_the_field(app, bad):
    valid, form = _validate(app, name=bad)

    assert not valid
    assert form.name.errors == [SINGLE_LINE_MESSAGE]
    assert not form.notes.errors


def test_every_kind_of_one_line_field_is_covered(app):
    valid, form = _validate(
        app, password="p\nw", **{"tags-0": "a\nb", "row-label": "x\r\ny"}
    )

    assert not valid
    assert form.password.errors == [SINGLE_LINE_MESSAGE]
    assert form.tags.entries[0].errors == [SINGLE_LINE_MESSAGE]
    assert form.row.form.label.errors == [SINGLE_LINE_MESSAGE]  # once, not twice


def test_textareas_tabs_and_unicode_are_accepted(app):
    valid, form = _validate(
        app, name="Søren\tKierkegaard 陈小姐, O'Brien", notes="line one\r\nline two"
    )

    assert valid, form.errors


def _form_classes():
    for info in pkgutil.walk_packages(consult.__path__, "consult."):
        if "form" not in info.name.rsplit(".", 1)[-1]:
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, wtforms.Form) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_of_the_app_uses_the_base_classes():
    classes = list(_form_classes())

    assert len(classes) > 40
    assert [
        c.__qualname__ for c in classes if not issubclass(c, _SingleLineFields)
    ] == []
