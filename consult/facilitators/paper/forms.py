"""Forms of the paper pages: printing, the entry of one sheet, the CSV upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.challenges.forms import PriorityForm
from consult.content import language_display
from consult.facilitators.paper.imports import MAX_CSV_BYTES
from consult.facilitators.paper.sheets import KIND_LABELS, MAX_COPIES
from consult.forms import EmailField, FlaskForm, IntegerField
from consult.registration.services.validation import RegistrationData


class PrintForm(FlaskForm):
    sheet = SelectField(_l("Sheet"), validators=[DataRequired()])
    language = SelectField(_l("Language of the sheets"), validators=[DataRequired()])
    copies = IntegerField(
        _l("Copies"),
        low=1,
        high=MAX_COPIES,
        description=_l("Each copy gets its own reference code."),
    )

    def __init__(self, surveys, languages, **kwargs):
        super().__init__(**kwargs)
        self.sheet.choices = [
            SelectChoice("R", KIND_LABELS["R"]),
            SelectChoice("P", KIND_LABELS["P"]),
            *(SelectChoice(f"S{s.id}", s.title) for s in surveys),
        ]
        self.language.choices = [
            SelectChoice(code, language_display(code)) for code in languages
        ]
        if self.copies.data is None and not self.is_submitted():
            self.copies.data = 10


class CodeForm(FlaskForm):
    """The first step of entering a sheet: its reference code."""

    code = StringField(
        _l("Sheet code"),
        validators=[DataRequired(_l("Type the code printed at the top of the sheet."))],
        description=_l("Printed large at the top of the sheet, e.g. 12-R0047-K."),
    )


class RegistrationSheetForm(FlaskForm):
    """A registration form, its fields in the order they are printed."""

    code = HiddenField()
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)]
    )
    phone = StringField(_l("Phone number"), validators=[Length(max=40)])
    email = EmailField(
        _l("Email (if they have one)"), validators=[Optional(), Length(max=254)]
    )
    type_key = SelectField(_l("Stakeholder type"), validators=[DataRequired()])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    consent_privacy = BooleanField(
        _l("They agreed to the privacy notice (read or explained to them)"),
        validators=[DataRequired()],
    )
    consent_recording = BooleanField(_l("They agree to being recorded"))
    consent_listing = BooleanField(_l("They agree to appear in the participant list"))
    consent_followup = BooleanField(_l("They agree to follow-up messages"))

    def __init__(self, types, countries, **kwargs):
        super().__init__(**kwargs)
        self.type_key.choices = [
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(t.key, t.label) for t in types),
        ]
        self.country.choices = [
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(code, name) for code, name in countries),
        ]

    def to_data(self, answers, *, timezone: str, language: str) -> RegistrationData:
        return RegistrationData(
            full_name=self.full_name.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            type_key=self.type_key.data or "",
            country=self.country.data or "",
            timezone=timezone,
            language=language,
            consent_privacy=bool(self.consent_privacy.data),
            consent_recording=bool(self.consent_recording.data),
            consent_listing=bool(self.consent_listing.data),
            consent_followup=bool(self.consent_followup.data),
            answers=answers,
        )


class PrioritiesSheetForm(PriorityForm):
    """A priorities sheet: the person's reference, then c-<challenge id> boxes."""

    code = HiddenField()
    person = StringField(
        _l("Registration reference"),
        validators=[
            DataRequired(_l("Type the code of the person's registration form."))
        ],
        description=_l(
            "The code of the person's registration form, written on the sheet."
        ),
    )


class SurveySheetForm(FlaskForm):
    """A survey sheet: the person's reference; the questions are the
    participant's survey fields (templates/surveys/_questions.html)."""

    code = HiddenField()
    person = PrioritiesSheetForm.person


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose the CSV file to import.")),
            FileSize(
                max_size=MAX_CSV_BYTES, message=_l("The file is larger than 1 MB.")
            ),
        ],
        description=_l("Made from the template: one row per person."),
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
