"""The organiser's message to registrants: a text for everyone and, if they
wish, a subject and a body per language (consult/registration/services/bulk_message.py
holds the rules of who gets which)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.content import language_display
from consult.forms import FlaskForm
from consult.languages import LANGUAGE_NAMES
from consult.registration.forms_manage import STATUS_LABELS
from consult.registration.models import REGISTRATION_STATUSES
from consult.registration.services.bulk_message import (
    BODY_MAX,
    SUBJECT_MAX,
    body_field,
    message_problems,
    subject_field,
)


def _subject(label):
    return StringField(label, validators=[Optional(), Length(max=SUBJECT_MAX)])


def _body(label):
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=BODY_MAX)],
        description=_l("Plain text. Leave an empty line between paragraphs."),
    )


class MessageForm(FlaskForm):
    """``languages``: the languages offered a text of their own (the event's
    default language and those the recipients read); ``event`` for the rules."""

    statuses = SelectMultipleField(
        _l("Send to the people who are"),
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in REGISTRATION_STATUSES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
    subject = _subject(_l("Subject"))
    body = _body(_l("Message"))

    def __init__(self, event, languages: list[str], **kwargs):
        super().__init__(**kwargs)
        self.event = event
        # The page lays the statuses out by hand, each box's id its status.
        self.statuses.link_target = f"statuses-{REGISTRATION_STATUSES[0]}"
        self.languages = [code for code in languages if code in LANGUAGE_NAMES]
        for code in self.languages:
            name = language_display(code)
            self[subject_field(code)].label.text = _(
                "Subject in %(language)s", language=name
            )
            self[body_field(code)].label.text = _(
                "Message in %(language)s", language=name
            )

    def language_fields(self, code: str):
        return self[subject_field(code)], self[body_field(code)]

    def texts(self) -> dict[str, tuple[str, str]]:
        """Each offered language's (subject, body) as typed, empty pairs left out."""
        found = {}
        for code in self.languages:
            subject, body = (f.data or "" for f in self.language_fields(code))
            if subject.strip() or body.strip():
                found[code] = (subject, body)
        return found

    def written(self) -> set[str]:
        """The languages with a whole text of their own."""
        return {
            code
            for code, (subject, body) in self.texts().items()
            if subject.strip() and body.strip()
        }

    def has_text_for_everyone(self) -> bool:
        return bool((self.subject.data or "").strip())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if not self.statuses.data and not self.statuses.errors:
            self.statuses.errors = [_("Choose at least one status.")]
            valid = False
        for problem in message_problems(
            self.event, self.subject.data, self.body.data, self.texts()
        ):
            field = self._fields.get(problem.field or "")
            if field is None:
                self.form_errors.append(problem.message)
            elif not field.errors:
                field.errors = [*field.errors, problem.message]
            valid = False
        return valid


for _code in LANGUAGE_NAMES:
    setattr(MessageForm, subject_field(_code), _subject(_l("Subject")))
    setattr(MessageForm, body_field(_code), _body(_l("Message")))
