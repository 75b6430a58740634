"""Dashboard forms: publishing the results page, the report's language and notes, files."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from consult.dashboard.services.publication import NOTE_MAX
from consult.dashboard.services.report_notes import NOTES_MAX
from consult.forms import FlaskForm
from consult.i18n import LANGUAGE_NAMES


class PublishForm(FlaskForm):
    note = TextAreaField(
        _l("Note shown above the results (optional, Markdown)"),
        validators=[Length(max=NOTE_MAX)],
        description=_l(
            "A few words for the public: what happens next with the results."
        ),
    )
    submit = SubmitField(_l("Publish the results page"))


class UnpublishForm(FlaskForm):
    submit = SubmitField(_l("Take the results page down"))


class ReportLanguageForm(FlaskForm):
    """The language the report (page and PDF) is written in: a GET form, no CSRF."""

    class Meta:
        csrf = False

    lang = SelectField(_l("Report language"), validators=[Optional()])
    submit = SubmitField(_l("Apply"))

    def __init__(self, *args, default: str, **kwargs):
        super().__init__(*args, **kwargs)
        languages = current_app.config["LANGUAGES"]
        # Each name in its own language: the organiser finds theirs whatever
        # language the page is in.
        self.lang.choices = [(code, LANGUAGE_NAMES[code]) for code in languages]
        if self.lang.data not in languages:
            self.lang.data = default

    @property
    def language(self) -> str:
        """The chosen language, or the default when none (or an unknown one) was asked."""
        return self.lang.data


class ReportNotesForm(FlaskForm):
    """The organisers' key findings and next steps, shown in the report."""

    key_findings = TextAreaField(
        _l("Key findings (Markdown)"),
        validators=[Length(max=NOTES_MAX)],
        description=_l("What the organisers take from the consultation."),
    )
    next_steps = TextAreaField(
        _l("Next steps (Markdown)"),
        validators=[Length(max=NOTES_MAX)],
        description=_l("What happens next, who does it and by when."),
    )
    submit = SubmitField(_l("Save a new version"))


class PrepareForm(FlaskForm):
    """Ask the scheduler for a file (the report's language travels hidden)."""

    lang = HiddenField()
    submit = SubmitField(_l("Prepare the file"))
