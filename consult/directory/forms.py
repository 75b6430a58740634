"""Directory forms. They parse input; the services hold the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.directory.models import (
    LOOKING_FOR_MAX,
    MESSAGE_MAX,
    OFFERING_MAX,
    REASON_MAX,
    TOPICS_MAX,
)
from consult.directory.services.listing import DirectoryFilter
from consult.directory.services.meetings import MAX_SLOTS
from consult.directory.services.profiles import ProfileData
from consult.forms import FlaskForm, WallClockField
from consult.numbers import coerce_id, parse_id
from consult.zone_field import TimezoneField


class ProfileForm(FlaskForm):
    listed = BooleanField(
        _l("List me in the participant directory"),
        description=_l(
            "Other confirmed participants who are listed see your name, "
            "organisation, group, country and this profile; never your email."
        ),
    )
    looking_for = TextAreaField(
        _l("Looking for"), validators=[Length(max=LOOKING_FOR_MAX)]
    )
    offering = TextAreaField(_l("Offering"), validators=[Length(max=OFFERING_MAX)])
    challenges = SelectMultipleField(
        _l("Challenges that interest you"),
        coerce=coerce_id,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    topics = StringField(
        _l("Other topics"),
        validators=[Length(max=TOPICS_MAX)],
        description=_l("A few words, separated by commas."),
    )

    def data_for_service(self) -> ProfileData:
        return ProfileData(
            listed=self.listed.data,
            looking_for=self.looking_for.data or "",
            offering=self.offering.data or "",
            topics=self.topics.data or "",
            challenge_ids=list(self.challenges.data or []),
        )


class LeaveForm(FlaskForm):
    """The one-click "remove me from the directory" button."""


class FilterForm(FlaskForm):
    """The directory's filters, from the query string (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), validators=[Optional()])
    type = SelectField(_l("Stakeholder group"), validators=[Optional()])
    challenge = SelectField(_l("Challenge"), validators=[Optional()])

    def to_filter(self) -> DirectoryFilter:
        """The filters; values that are not among the choices are ignored."""

        def picked(field) -> str:
            value = field.data or ""
            return value if value in {str(c[0]) for c in field.choices} else ""

        return DirectoryFilter(
            country=picked(self.country),
            type_id=parse_id(picked(self.type)),
            challenge_id=parse_id(picked(self.challenge)),
        )


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("Message"),
        validators=[Length(max=MESSAGE_MAX)],
        description=_l("Say who you are and what you would like to discuss."),
    )
    timezone = TimezoneField(
        _l("Time zone"), description=_l("The times below are in this zone.")
    )
    # MAX_SLOTS proposed times; the first is needed, the others optional.
    slot_1 = WallClockField(_l("First proposed time"), required=False)
    slot_2 = WallClockField(_l("Second proposed time"), required=False)
    slot_3 = WallClockField(_l("Third proposed time"), required=False)

    def starts(self) -> list:
        return [self.slot_1.data, self.slot_2.data, self.slot_3.data][:MAX_SLOTS]


class ButtonForm(FlaskForm):
    """A button that only needs its CSRF token (decline, block)."""


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with this profile?"), validators=[Length(max=REASON_MAX)]
    )
