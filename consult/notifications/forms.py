"""Forms for the reminder plan editor. Rules live in the services; forms parse input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import FlaskForm, IntegerField
from consult.notifications.reminders import PlanItemData
from consult.notifications.reminders.plans import MAX_MARGIN_MINUTES, SMS_BODY_MAX

UNITS = {"weeks": 7 * 24 * 60, "days": 24 * 60, "hours": 60, "minutes": 1}
# (value, anchor, sign): before the start is a negative offset from the start.
WHEN = {
    "before_start": ("start", -1),
    "after_start": ("start", 1),
    "before_end": ("end", -1),
    "after_end": ("end", 1),
}


def _opts(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class PlanItemForm(FlaskForm):
    kind = SelectField(
        _l("Message"),
        choices=_opts(
            [
                ("reminder", _l("Reminder")),
                ("follow_up", _l("Follow-up")),
                ("organiser_nudge", _l("Attendance reminder to organisers")),
            ]
        ),
    )
    amount = IntegerField(
        _l("How long"),
        validators=[InputRequired()],
        low=0,
        high=10000,
    )
    unit = SelectField(
        _l("Unit"),
        choices=_opts(
            [
                ("weeks", _l("weeks")),
                ("days", _l("days")),
                ("hours", _l("hours")),
                ("minutes", _l("minutes")),
            ]
        ),
    )
    when = SelectField(
        _l("When"),
        choices=_opts(
            [
                ("before_start", _l("before the start")),
                ("after_start", _l("after the start")),
                ("before_end", _l("before the end")),
                ("after_end", _l("after the end")),
            ]
        ),
    )
    audience = SelectField(
        _l("Recipients"),
        choices=_opts(
            [
                ("confirmed", _l("Confirmed registrants")),
                ("attendees", _l("Attendees")),
                ("absentees", _l("Absentees (confirmed, did not attend)")),
                ("organisers", _l("Organisers")),
            ]
        ),
    )
    type_keys = SelectMultipleField(
        _l("Only these stakeholder types (none ticked: everyone)"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    margin = IntegerField(
        _l("Catch-up margin in minutes"),
        validators=[Optional()],
        low=0,
        high=MAX_MARGIN_MINUTES,
    )
    subject = StringField(_l("Subject"), validators=[Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[Length(max=5000)])
    sms_body = TextAreaField(_l("SMS text"), validators=[Length(max=SMS_BODY_MAX)])
    enabled = BooleanField(_l("On"), default=True)
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    @classmethod
    def for_event(cls, types, item=None, **kwargs):
        """The form with the event's stakeholder types, filled from an item."""
        form = cls(obj=item, **kwargs)
        form.type_keys.choices = _opts((t.key, t.label) for t in types)
        if item is not None and not form.is_submitted():
            form.margin.data = item.catch_up_margin_minutes
            form.amount.data, form.unit.data = split_offset(abs(item.offset_minutes))
            sign = -1 if item.offset_minutes < 0 else 1
            form.when.data = next(
                key for key, value in WHEN.items() if value == (item.anchor, sign)
            )
        return form

    def to_data(self) -> PlanItemData:
        # Read what can be read: a form refused by its own checks is still
        # checked by the service (None where a value could not be read).
        anchor, sign = WHEN.get(self.when.data, ("", 1))
        unit, amount = UNITS.get(self.unit.data), self.amount.data
        return PlanItemData(
            kind=self.kind.data,
            anchor=anchor,
            offset_minutes=None if None in (unit, amount) else sign * amount * unit,
            audience=self.audience.data,
            type_keys=list(self.type_keys.data or []),
            subject=self.subject.data or "",
            body=self.body.data or "",
            sms_body=self.sms_body.data or "",
            enabled=bool(self.enabled.data),
            catch_up_margin_minutes=self.margin.data,
        )


def split_offset(minutes: int) -> tuple[int, str]:
    """The largest unit that divides the offset evenly: 10080 -> (1, 'weeks')."""
    for unit, size in UNITS.items():
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, "minutes" if minutes else "hours"
