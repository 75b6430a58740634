"""Every email field takes the same addresses: internationalised ones too.

The services check addresses with email-validator (SMTPUTF8 allowed) and the
outbox delivers them; a browser's <input type="email"> would refuse a
non-ASCII local part before the server sees it, on some forms and not others.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from wtforms import Form
from wtforms.fields import EmailField as HtmlEmailField
from wtforms.fields.core import UnboundField
from wtforms.validators import Email

import consult
from consult.auth.services import normalise_email
from consult.errors import ValidationFailed
from consult.forms import EmailField
from consult.notifications.services import normalise_recipient

ACCEPTED = ["sofía@example.co", "jan@bücher.de", "李雷@例子.中国", "ana@example.org"]
REFUSED = ["sofía@", "sofía@@example.co", "no spaces@example.co", "ana@example"]


class _Form(Form):
    """The registration form's check: WTForms' Email() over email-validator."""

    email = EmailField("Email", [Email()])


def _form_classes():
    for module in pkgutil.walk_packages(consult.__path__, "consult."):
        if module.name.rsplit(".", 1)[-1].startswith("forms"):
            importlib.import_module(module.name)
    pending, seen = list(Form.__subclasses__()), set()
    while pending:
        cls = pending.pop()
        if cls not in seen:
            seen.add(cls)
            pending.extend(cls.__subclasses__())
    return [c for c in seen if c.__module__.startswith("consult.")]


def _email_fields():
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and "email" in name:
                yield f"{cls.__module__}.{cls.__name__}.{name}", unbound.field_class


def test_every_email_field_is_the_one_that_takes_every_address():
    fields = dict(_email_fields())
    assert len(fields) >= 10, fields  # the forms were found
    wrong = {name: cls for name, cls in fields.items() if cls is not EmailField}
    assert not wrong
    assert HtmlEmailField not in fields.values()


def test_the_field_renders_a_text_input_even_when_asked_for_type_email(app):
    html = str(_Form().email(type="email", autocomplete="email"))
    assert 'type="text"' in html and 'type="email"' not in html
    assert 'inputmode="email"' in html and 'autocomplete="email"' in html


@pytest.mark.parametrize("address", ACCEPTED)
def test_every_check_accepts_the_same_addresses(address):
    assert normalise_email(address)
    assert normalise_recipient(address)
    form = _Form(data={"email": address})
    assert form.validate(), form.errors


@pytest.mark.parametrize("address", REFUSED)
def test_every_check_refuses_the_same_addresses(app, address):
    with pytest.raises(ValidationFailed):
        normalise_email(address)
    with pytest.raises(ValidationFailed):
        normalise_recipient(address)
    assert not _Form(data={"email": address}).validate()
