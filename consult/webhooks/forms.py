"""The form of a webhook subscription. Rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import FlaskForm
from consult.webhooks.models import KINDS, URL_MAX
from consult.webhooks.services.subscriptions import SubscriptionData

KIND_LABELS = {
    "registration.created": _l("A registration is made"),
    "registration.confirmed": _l("A registration is confirmed"),
    "registration.waitlisted": _l("A registration goes on the waiting list"),
    "registration.promoted": _l("A waiting registration gets a seat"),
    "registration.cancelled": _l("A registration is cancelled"),
    "attendance.imported": _l("Attendance is imported"),
    "input.submitted": _l("An input is submitted"),
    "survey.response": _l("A survey is answered"),
    "results.published": _l("The results are published"),
}


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubscriptionForm(FlaskForm):
    url = StringField(
        _l("Receiver address (https://)"),
        validators=[DataRequired(), Length(max=URL_MAX)],
        description=_l("Consult POSTs each event to this address, signed."),
    )
    kinds = _Checkboxes(
        _l("Send these events"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS],
    )

    def to_data(self) -> SubscriptionData:
        return SubscriptionData(self.url.data or "", tuple(self.kinds.data or ()))
