"""Forms for an action's owner and its progress updates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.actions.labels import STATUS_LABELS
from consult.actions.models import ACTION_STATUSES, LINK_MAX, TEXT_MAX
from consult.actions.services.owners import OwnerData
from consult.actions.services.progress import UpdateData
from consult.forms import (
    DayField,
    EmailField,
    FlaskForm,
    IntegerField,
    LanguageField,
)


def status_label(status: str | None) -> str:
    return str(STATUS_LABELS.get(status or "", status or ""))


class OwnerForm(FlaskForm):
    """Who reports on an action (an editor names them)."""

    name = StringField(_l("Owner's name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Owner's email"), validators=[DataRequired(), Length(max=254)]
    )
    language = LanguageField(_l("Their language for messages"))

    @classmethod
    def for_action(cls, action, default_language: str):
        form = cls(
            formdata=None,
            data={"name": action.owner_name, "email": action.owner_email},
            prefix="owner",
        )
        form.language.prefill(action.owner_language or default_language)
        return form

    def to_data(self) -> OwnerData:
        return OwnerData(
            name=self.name.data or "",
            email=self.email.data or "",
            language=self.language.data,
        )


class UpdateForm(FlaskForm):
    """A progress update: what happened, and optionally new progress or status."""

    posted_on = DayField(
        _l("Date"),
        required=False,
        description=_l("The day it happened; today if left empty."),
    )
    body = TextAreaField(
        _l("What happened"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Markdown. Required unless you change the progress or status."),
    )
    progress = IntegerField(
        _l("Progress (%)"), validators=[Optional()], low=0, high=100
    )
    status = SelectField(_l("Status"), validate_choice=False)
    link = StringField(
        _l("Link"),
        validators=[Length(max=LINK_MAX)],
        description=_l("Optional: a report, photos or an article (https://…)."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Unchanged"))] + [
            (key, STATUS_LABELS[key]) for key in ACTION_STATUSES
        ]

    def to_data(self) -> UpdateData:
        return UpdateData(
            posted_on=self.posted_on.data,
            body=self.body.data or "",
            progress=self.progress.data,
            status=self.status.data or None,
            link=self.link.data or "",
        )


class UpdateEditForm(FlaskForm):
    """An editor corrects an update's date, text or link."""

    posted_on = DayField(_l("Date"), required=True)
    body = TextAreaField(_l("What happened"), validators=[Length(max=TEXT_MAX)])
    link = StringField(_l("Link"), validators=[Length(max=LINK_MAX)])


class OwnerLanguageForm(FlaskForm):
    """The owner's language for their emails."""

    language = LanguageField()
