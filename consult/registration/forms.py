"""The public registration form and the manage page's forms.

The form gives friendly messages next to fields; the services enforce the
same rules again.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from consult.content import current_language, text_in
from consult.forms import EmailAddress, EmailField, FlaskForm, LanguageField
from consult.registration.countries import country_choices, is_country
from consult.registration.services import DetailsData, RegistrationData
from consult.zone_field import TimezoneField


def _opts(pairs) -> list[SelectChoice]:
    # WTForms 3.3 deprecates (value, label) tuples as choices.
    return [SelectChoice(value, label) for value, label in pairs]


@lru_cache(maxsize=1)
def _country_options() -> tuple[SelectChoice, ...]:
    # Built once per process: WTForms would otherwise convert all 250 pairs
    # on every form, and again to validate the choice.
    return tuple(_opts([("", _l("Choose a country")), *country_choices()]))


@lru_cache(maxsize=64)
def _kept_type_choices(types: tuple, language: str) -> tuple[SelectChoice, ...]:
    # Keyed by the kept objects themselves: an edit of the event makes new
    # copies (a new key), and the cache holding them keeps their ids unique.
    return tuple(_opts((t.key, text_in(t, "label", language)) for t in types))


class CountryField(SelectField):
    """The country list, checked against the set of codes, not choice by choice."""

    def pre_validate(self, form):
        # WTForms would build and compare all 250 choices on every submission.
        if self.data and not is_country(self.data):
            raise ValidationError(self.gettext("Not a valid choice."))


class DetailsForm(FlaskForm):
    full_name = StringField(_l("Full name"), [DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), [Length(max=200)])
    job_title = StringField(_l("Job title"), [Length(max=200)])
    country = CountryField(_l("Country"), [DataRequired()])
    city = StringField(_l("City"), [Length(max=120)])
    timezone = TimezoneField(
        _l("Your time zone"),
        [DataRequired()],
        description=_l("We show the event's times in this zone too."),
    )
    language = LanguageField()
    needs_interpretation = StringField(
        _l("Interpretation needed (language)"), [Length(max=200)]
    )
    needs_captions = BooleanField(_l("I need live captions"))
    other_needs = TextAreaField(_l("Other accessibility needs"), [Length(max=2000)])
    consent_recording = BooleanField(_l("I agree to being recorded"))
    consent_listing = BooleanField(_l("Show my name in the participant list"))
    consent_followup = BooleanField(_l("Send me follow-up emails about this work"))

    def __init__(
        self,
        *args,
        default_zone: str = "UTC",
        default_language: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.country.choices = list(_country_options())
        # The page's language unless the person chose one (their manage page).
        self.language.prefill(default_language or str(get_locale()))
        self.timezone.first = (default_zone,)
        if not self.timezone.data:
            self.timezone.data = default_zone

    def details(self) -> DetailsData:
        return DetailsData(**_values(self, DetailsData))


class RegistrationForm(DetailsForm):
    email = EmailField(
        _l("Email"),
        [Optional(), EmailAddress(), Length(max=254)],
        render_kw={"autocomplete": "email"},
        description=_l("An email address, a mobile number below, or both."),
    )
    phone = StringField(
        _l("Mobile number"),
        [Length(max=40)],
        description=_l(
            "Give an email address, a mobile number, or both: at least one. "
            "Without + and a country code, the number is read as one of the "
            "country you choose below."
        ),
    )
    consent_sms = BooleanField(
        _l("Send me SMS about this event"),
        description=_l(
            "Your confirmation with your personal link, reminders and how to "
            "join by phone. Reply STOP to any of them to end them."
        ),
    )
    type_key = RadioField(_l("Which group do you belong to?"), [InputRequired()])
    role = RadioField(
        _l("How will you take part?"),
        [InputRequired()],
        choices=_opts(
            [
                ("attendee", _l("Attendee")),
                ("expert", _l("Expert contributor (needs an organiser's approval)")),
            ]
        ),
        default="attendee",
    )
    consent_privacy = BooleanField(
        _l("I have read and accept the privacy notice"), [DataRequired()]
    )
    # The version the page showed, in a hidden input of the template.
    notice_version_seen = StringField(_l("Privacy notice version"), [Length(max=40)])
    # Left empty by people; bots fill every field. Hidden by a CSS class.
    website = StringField(_l("Leave this field empty"))

    def set_types(self, types, *, kept: bool = False) -> None:
        """The groups to choose from, labelled in the visitor's language (the
        page marks the untranslated). ``kept``: ``types`` are this process's
        kept copies (services/form_data.py), which stay the same objects while
        the event is unchanged, so their choices are made once per language."""
        if kept:
            choices = list(_kept_type_choices(tuple(types), current_language()))
        else:
            choices = _opts((t.key, text_in(t, "label")) for t in types)
        self.type_key.choices = choices
        self.types_by_key = {t.key: t for t in types}

    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())

    def registration_data(self, questions) -> RegistrationData:
        answers = {
            str(q.id): (self[f"q_{q.id}"].data or "")
            for q in questions
            if f"q_{q.id}" in self
        }
        return RegistrationData(**_values(self, RegistrationData), answers=answers)


def _values(form, record) -> dict:
    names = record.__dataclass_fields__.keys() - {"answers"}
    values = {name: form[name].data for name in names if name in form}
    if "language" in form and not form.language.raw_data:
        values["language"] = None  # not submitted: left as it is
    return values


def registration_form_class(questions):
    """A form class with one field per type-specific question (named q_<id>).

    The fields are optional here: which questions are required depends on the
    chosen type, and the service checks that. The class is made once per set
    of question objects (the per-process copies stay the same objects while
    the event is unchanged).
    """
    return _form_class(tuple(questions))


@lru_cache(maxsize=64)
def _form_class(questions: tuple):

    class _Form(RegistrationForm):
        pass

    for q in questions:
        label, help_text = q.label, q.help_text or None
        if q.kind == "choice":
            field = RadioField(
                label,
                [Optional()],
                choices=_opts((c, c) for c in q.choices),
                description=help_text,
                validate_choice=False,
            )
        elif q.kind == "yes_no":
            field = RadioField(
                label,
                [Optional()],
                choices=_opts([("yes", _l("Yes")), ("no", _l("No"))]),
                description=help_text,
                validate_choice=False,
            )
        else:
            field = StringField(label, [Length(max=1000)], description=help_text)
        setattr(_Form, f"q_{q.id}", field)
    return _Form


class SmsSettingsForm(FlaskForm):
    """The manage page's mobile number and SMS consent."""

    phone = StringField(
        _l("Mobile number"),
        [Length(max=40)],
        description=_l(
            "Without + and a country code, the number is read as one of your country."
        ),
    )
    consent_sms = BooleanField(
        _l("Send me SMS about this event"),
        description=_l(
            "Your confirmation with your personal link, reminders and how to "
            "join by phone. Reply STOP to any of them to end them."
        ),
    )


class ConfirmForm(FlaskForm):
    """A POST that needs an explicit tick (cancel, erase)."""

    confirm = BooleanField(_l("Yes, I am sure"), [DataRequired()])
