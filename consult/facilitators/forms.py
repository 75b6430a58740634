"""Forms of the facilitator pages and of the organisers' "Facilitators" page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from consult.challenges.forms import InputForm, PriorityForm
from consult.facilitators.services import CHANNEL_LABELS, FACILITATED_CHANNELS
from consult.forms import EmailField, FlaskForm, LanguageField
from consult.registration.forms_manage import AssistedForm
from consult.registration.services.validation import RegistrationData


def _channel_field():
    return SelectField(
        _l("How you reached them"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(c, CHANNEL_LABELS[c]) for c in FACILITATED_CHANNELS],
        validators=[DataRequired(_l("Choose how you reached the person."))],
    )


class InviteFacilitatorForm(FlaskForm):
    """An organiser invites a facilitator by email."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    language = LanguageField(
        description=_l("The emails we send them are in it (new accounts).")
    )


class FacilitatedForm(AssistedForm):
    """A facilitator registers a person they met, called or got a paper form from."""

    role = None  # facilitators register attendees only
    channel = _channel_field()

    def to_data(self, answers: dict[str, str]) -> RegistrationData:
        values = {
            name: getattr(self, name).data
            for name in RegistrationData.__dataclass_fields__
            if name not in ("answers", "role") and name in self._fields
        }
        if not self.language.raw_data:
            values["language"] = None  # not submitted: the site's default
        return RegistrationData(**values, answers=answers)


class FacilitatedPrioritiesForm(PriorityForm):
    """The person's points or ranks arrive as fields c-<challenge id>."""

    channel = _channel_field()


class FacilitatedInputForm(InputForm):
    """The participant's input form, with how the facilitator reached them."""

    channel = _channel_field()
    consent_named = BooleanField(
        _l("The person agrees to show their name with this input when it is published")
    )


class FacilitatedAnswersForm(FlaskForm):
    """The survey's questions arrive as q<question id> fields (consult.surveys)."""

    channel = _channel_field()
