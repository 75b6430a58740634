"""Forms of the survey builder and the answering pages.

Forms parse input and give friendly messages; the services check every rule
again. The questions of a survey are read from the submitted form by
consult.surveys.services.answers (their number and kinds vary per survey);
AnswerForm carries the fixed parts: CSRF, the honeypot and the start time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult import signing
from consult.forms import FlaskForm, Form, FormProblem, IntegerField, WallClockField
from consult.numbers import coerce_id, parse_id
from consult.surveys.models import DEFAULT_SCALE_LABELS
from consult.surveys.services import OptionEdit, QuestionData, SurveyData
from consult.surveys.services.questions import MAX_OPTIONS

KIND_LABELS = {
    "pre_event": _l("Before the event"),
    "post_event": _l("After the event (feedback)"),
    "standalone": _l("Standalone"),
}
AUDIENCE_LABELS = {
    "confirmed": _l("All confirmed registrants"),
    "attendees": _l("Attendees only (checked in or marked as attended)"),
    "types": _l("Confirmed registrants of the stakeholder types ticked below"),
    "public": _l("Anyone with the public link"),
}
QUESTION_KIND_LABELS = {
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "likert": _l("Likert scale (5 points)"),
    "rating": _l("Rating 0–10"),
    "number": _l("Number"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "ranking": _l("Ranking (order the options)"),
    "likert_matrix": _l("Likert matrix (statements on one scale)"),
}


def _opts(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    introduction = TextAreaField(
        _l("Introduction"),
        [Length(max=10000)],
        description=_l("Shown above the questions. Markdown is allowed."),
    )
    kind = SelectField(_l("Kind"), choices=_opts(KIND_LABELS))
    audience = RadioField(
        _l("Who is it for?"), choices=_opts(AUDIENCE_LABELS), default="confirmed"
    )
    type_ids = MultiCheckboxField(_l("Stakeholder types"), coerce=coerce_id)
    opens = WallClockField(
        _l("Opens"),
        [Optional()],
    )
    closes = WallClockField(
        _l("Closes"),
        [Optional()],
        description=_l("Optional; empty keeps the survey open."),
    )
    anonymous = BooleanField(
        _l("Anonymous: answers are stored without the person’s name")
    )
    allow_edit = BooleanField(
        _l("Respondents may change their answers until the survey closes")
    )
    reminder_after_days = IntegerField(
        _l("Automatic reminder to non-responders after (days)"),
        [Optional()],
        low=1,
        high=60,
        description=_l("Counted from the opening; empty for no automatic reminder."),
    )

    def set_types(self, types) -> None:
        self.type_ids.choices = [SelectChoice(t.id, t.label) for t in types]

    @classmethod
    def for_survey(cls, survey, **kwargs):
        zone = survey.event.timezone
        return cls(
            data={
                "title": survey.title,
                "introduction": survey.introduction,
                "kind": survey.kind,
                "audience": survey.audience,
                "type_ids": [t.id for t in survey.audience_types],
                "opens": WallClockField.from_instant(survey.opens_at, zone),
                "closes": WallClockField.from_instant(survey.closes_at, zone),
                "anonymous": survey.anonymous,
                "allow_edit": survey.allow_edit,
                "reminder_after_days": survey.reminder_after_days,
            },
            **kwargs,
        )

    def to_data(self) -> SurveyData:
        return SurveyData(
            title=self.title.data or "",
            introduction=self.introduction.data or "",
            kind=self.kind.data or "",
            audience=self.audience.data or "",
            type_ids=list(self.type_ids.data or []),
            opens=self.opens.data,
            closes=self.closes.data,
            anonymous=bool(self.anonymous.data),
            allow_edit=bool(self.allow_edit.data),
            reminder_after_days=self.reminder_after_days.data,
        )


class OptionRow(Form):
    """An existing option or statement: correct its text, or remove it."""

    id = HiddenField()
    label = StringField(_l("Text"), [Length(max=300)])
    remove = BooleanField(_l("Remove"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Question type"), choices=_opts(QUESTION_KIND_LABELS))
    text = StringField(_l("Question"), [DataRequired(), Length(max=500)])
    help_text = StringField(
        _l("Help text"),
        [Length(max=1000)],
        description=_l("Optional hint shown under the question."),
    )
    required = BooleanField(_l("An answer is required"))
    allow_other = BooleanField(_l("Offer “Other, please specify” (single choice only)"))
    min_choices = IntegerField(
        _l("At least this many choices (multiple choice)"),
        [Optional()],
        low=0,
        high=MAX_OPTIONS,
    )
    max_choices = IntegerField(
        _l("At most this many choices (multiple choice)"),
        [Optional()],
        low=0,
        high=MAX_OPTIONS,
    )
    min_value = FloatField(_l("Smallest number allowed (number)"), [Optional()])
    max_value = FloatField(_l("Largest number allowed (number)"), [Optional()])
    scale_labels = FieldList(
        StringField(_l("Scale point"), [Length(max=60)]), min_entries=5, max_entries=5
    )
    options = FieldList(FormField(OptionRow), min_entries=0)
    new_options = TextAreaField(
        _l("Add options"),
        description=_l(
            "One per line. For choice and ranking questions: the choices or the "
            "items to order."
        ),
    )
    statements = FieldList(FormField(OptionRow), min_entries=0)
    new_statements = TextAreaField(
        _l("Add statements"),
        description=_l("One per line. For a Likert matrix: the rows to rate."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for entry, default in zip(
            self.scale_labels.entries, DEFAULT_SCALE_LABELS, strict=False
        ):
            if not entry.data:
                entry.data = default

    @classmethod
    def for_question(cls, question, **kwargs):
        rows = lambda items: [  # noqa: E731
            {"id": str(o.id), "label": o.label, "remove": False} for o in items
        ]
        return cls(
            data={
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "allow_other": question.allow_other,
                "min_choices": question.min_choices,
                "max_choices": question.max_choices,
                "min_value": question.min_value,
                "max_value": question.max_value,
                "scale_labels": question.labels,
                "options": rows(question.options),
                "statements": rows(question.statements),
            },
            **kwargs,
        )

    def _edits(self, rows, new_text) -> list[OptionEdit]:
        edits = [
            OptionEdit(
                label=row.form.label.data or "",
                id=parse_id(row.form.id.data),
                remove=bool(row.form.remove.data),
            )
            for row in rows
        ]
        return edits + [OptionEdit(label=line) for line in _lines(new_text)]

    def to_data(self) -> QuestionData:
        return QuestionData(
            kind=self.kind.data or "",
            text=self.text.data or "",
            help_text=self.help_text.data or "",
            required=bool(self.required.data),
            allow_other=bool(self.allow_other.data),
            min_choices=self.min_choices.data,
            max_choices=self.max_choices.data,
            min_value=self.min_value.data,
            max_value=self.max_value.data,
            scale_labels=[(e.data or "").strip() for e in self.scale_labels.entries],
            options=self._edits(self.options.entries, self.new_options.data),
            statements=self._edits(self.statements.entries, self.new_statements.data),
        )


class ActionForm(FlaskForm):
    """A button that changes something (move, delete, remind): CSRF only."""


class AnswerForm(FlaskForm):
    """The fixed part of a survey form: honeypot and a signed start time."""

    # Left empty by people; bots fill every field. Hidden by a CSS class.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())

    def stamp(self, now: datetime) -> None:
        """Sign the moment the form was shown (checked for a minimum fill time)."""
        self.started.data = started_token(now)

    def started_at(self) -> datetime | None:
        return started_from_token(self.started.data or "")


def started_token(moment: datetime) -> str:
    return signing.sign("survey-started", int(moment.timestamp()))


def started_from_token(token: str) -> datetime | None:
    """The signed start time, or None for a missing or forged one."""
    try:
        value = signing.load("survey-started", token)
    except signing.BadToken:
        return None
    if not isinstance(value, int):
        return None
    return datetime.fromtimestamp(value, UTC)


def answer_problems(survey, errors: dict[int, str] | None) -> list[FormProblem]:
    """The error summary's lines for a survey's answers (not WTForms fields):
    each question's message, linked to its group of controls."""
    errors = errors or {}
    return [
        FormProblem(
            f"q{question.id}-group",
            _("Question %(n)d", n=number),
            (errors[question.id],),
        )
        for number, question in enumerate(survey.questions, start=1)
        if errors.get(question.id)
    ]
