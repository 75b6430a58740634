"""The account page's form for a new API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.api.models import SCOPES
from consult.api.services.tokens import MAX_DAYS
from consult.forms import FlaskForm, IntegerField

SCOPE_LABELS = {
    "events:read": _l("Read events"),
    "registrations:read": _l("Read registrations of your events"),
    "registrations:write": _l("Add, cancel and check in registrations"),
    "results:read": _l("Read results, inputs and survey figures"),
    "webhooks:manage": _l("Manage webhooks"),
}


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. the CRM import."),
    )
    scopes = SelectMultipleField(
        _l("What it may do"),
        choices=[SelectChoice(scope, SCOPE_LABELS[scope]) for scope in SCOPES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    days = IntegerField(
        _l("Expires after (days)"),
        low=1,
        high=MAX_DAYS,
        validators=[Optional()],
        description=_l("Empty: until you revoke it."),
    )
