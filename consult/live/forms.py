"""Live room forms. They parse input; the services hold the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import EmailField, FlaskForm, IntegerField
from consult.live.labels import KIND_LABELS
from consult.live.models import PROMPT_MAX, QUESTION_MAX, WORD_MAX
from consult.live.services.moderators import SettingsData
from consult.live.services.polls import AnswerData, PollData
from consult.numbers import parse_id


class ButtonForm(FlaskForm):
    """A button that changes something: CSRF only."""


class ActionForm(FlaskForm):
    """A moderation button: which action it asks for."""

    action = HiddenField(validators=[InputRequired()])


class MergeForm(FlaskForm):
    into = SelectField(_l("Merge into"), coerce=str, validate_choice=False)

    def target(self) -> int | None:
        return parse_id(self.into.data)


class AskForm(FlaskForm):
    text = TextAreaField(
        _l("Your question"),
        validators=[InputRequired(), Length(max=QUESTION_MAX)],
    )
    anonymous = BooleanField(
        _l("Ask anonymously"),
        description=_l(
            "Other participants will not see your name. The moderators always do."
        ),
    )


class SettingsForm(FlaskForm):
    opens_minutes_before = IntegerField(
        _l("Opens this many minutes before the start"),
        validators=[InputRequired()],
        high=1440,
    )
    closes_minutes_after = IntegerField(
        _l("Closes this many minutes after the end"),
        validators=[InputRequired()],
        high=1440,
    )
    questions_enabled = BooleanField(_l("Participants may ask questions"))
    anonymous_allowed = BooleanField(_l("Questions may be anonymous to participants"))

    def to_data(self) -> SettingsData:
        return SettingsData(
            opens_minutes_before=self.opens_minutes_before.data,
            closes_minutes_after=self.closes_minutes_after.data,
            questions_enabled=self.questions_enabled.data,
            anonymous_allowed=self.anonymous_allowed.data,
        )


class CohostForm(FlaskForm):
    email = EmailField(_l("Email address of the account"), validators=[InputRequired()])


class PollForm(FlaskForm):
    kind = RadioField(
        _l("Kind of poll"),
        choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()],
        default="single",
        validators=[InputRequired()],
    )
    prompt = StringField(
        _l("Question"), validators=[InputRequired(), Length(max=PROMPT_MAX)]
    )
    options = TextAreaField(
        _l("Options, one a line (single and multiple choice)"),
        validators=[Optional()],
    )

    def to_data(self) -> PollData:
        lines = [line for line in (self.options.data or "").splitlines()]
        return PollData(
            kind=self.kind.data, prompt=self.prompt.data or "", options=lines
        )


class AnswerForm(FlaskForm):
    """One answer; which field counts depends on the poll's kind (the service
    checks it). A ranking comes as one ``rank-<option id>`` select per option."""

    option = SelectMultipleField(
        _l("Your answer"),
        coerce=str,
        validate_choice=False,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    rating = IntegerField(_l("Your rating"), validators=[Optional()], low=1, high=5)
    word = StringField(_l("Your answer"), validators=[Optional(), Length(max=WORD_MAX)])

    def to_data(self, formdata) -> AnswerData:
        option_ids = [i for i in (parse_id(v) for v in self.option.data or []) if i]
        ranks = {}
        for name, value in formdata.items():
            if name.startswith("rank-") and parse_id(name[5:]):
                ranks[parse_id(name[5:])] = parse_id(value)
        return AnswerData(
            option_ids=option_ids,
            rating=self.rating.data,
            word=self.word.data or "",
            ranks=ranks,
        )
