"""Forms of the organiser pages. They parse input; the services hold the rules."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
)
from wtforms.widgets import CheckboxInput, ListWidget

from consult.forms import EmailField, FlaskForm, IntegerField, LanguageField
from consult.numbers import MAX_SEATS, parse_id
from consult.registration.models import REGISTRATION_STATUSES
from consult.registration.services.organiser_queries import (
    ATTENDANCE_FILTERS,
    RegistrantFilter,
    parse_sort,
)
from consult.registration.services.settings import (
    QuestionData,
    RegistrationSettingsData,
    StakeholderTypeData,
)
from consult.registration.services.validation import RegistrationData
from consult.text import search_text
from consult.zone_field import TimezoneField


def _opts(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


STATUS_LABELS = {
    "pending": _l("Awaiting approval"),
    "confirmed": _l("Confirmed"),
    "waitlisted": _l("Waiting list"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}
ATTENDANCE_LABELS = {
    "attended": _l("Attended"),
    "absent": _l("Absent"),
    "unknown": _l("Not known yet"),
}
KIND_LABELS = {
    "text": _l("Short text"),
    "choice": _l("Choice"),
    "yes_no": _l("Yes or no"),
}


class FilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    type = SelectField(_l("Stakeholder type"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=_opts(
            [("", _l("Any status"))]
            + [(s, STATUS_LABELS[s]) for s in REGISTRATION_STATUSES]
        ),
        validators=[Optional()],
    )
    country = SelectField(_l("Country"), validators=[Optional()])
    attendance = SelectField(
        _l("Attendance"),
        choices=_opts(
            [("", _l("Any"))] + [(a, ATTENDANCE_LABELS[a]) for a in ATTENDANCE_FILTERS]
        ),
        validators=[Optional()],
    )
    q = StringField(
        _l("Search"),
        validators=[Optional(), Length(max=200)],
        description=_l("Name, email, organisation or phone."),
    )
    sort = HiddenField()  # kept while filtering; set by the column headings

    def __init__(self, types, countries, **kwargs):
        super().__init__(**kwargs)
        self.type.choices = _opts(
            [("", _l("Any type")), *((t.id, t.label) for t in types)]
        )
        self.country.choices = _opts([("", _l("Any country")), *countries])

    def to_filter(self) -> RegistrantFilter:
        """The filters; values that are not among the choices are ignored."""

        def picked(field) -> str:
            value = field.data or ""
            return value if value in {c.value for c in field.choices} else ""

        type_id = picked(self.type)
        return RegistrantFilter(
            type_id=int(type_id) if type_id else None,
            status=picked(self.status),
            country=picked(self.country),
            attendance=picked(self.attendance),
            search=search_text(self.q.data),
            sort=parse_sort(self.sort.data),
        )


class IdListField(Field):
    """Every value sent under this name (checkboxes), as integers; others ignored."""

    def process_formdata(self, valuelist):
        ids = (parse_id(v) for v in valuelist)
        self.data = sorted({i for i in ids if i is not None})

    def _value(self):
        return ""


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class BulkForm(FlaskForm):
    """One form for every bulk action, on the ticked people or on everyone
    the list's filters match (the filters travel in the query string)."""

    ids = IdListField()
    scope = RadioField(
        _l("Apply to"),
        choices=_opts([("ticked", _l("The people ticked below")), ("all", "")]),
        default="ticked",
    )
    # How many matched when the page was shown: "all" must mean those people.
    matching = IntegerField(validators=[Optional()])
    decision = SelectField(
        _l("With the selected"),
        choices=_opts(
            [
                ("approve", _l("Approve")),
                ("reject", _l("Reject")),
                ("cancel", _l("Cancel registration")),
                ("check_in", _l("Check in")),
            ]
        ),
    )
    reason = TextAreaField(
        _l("Reason (for rejections)"),
        validators=[Length(max=1000)],
        description=_l("Sent to the people you reject."),
    )
    # The confirmation page's: the plan shown (its fingerprint), and "do it".
    fingerprint = HiddenField()
    confirm = HiddenField()


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Sent to the person in the rejection email."),
    )
    fingerprint = HiddenField()


class CancelForm(FlaskForm):
    """The confirmation of one cancellation: bound to the plan shown."""

    fingerprint = HiddenField()


class WaitlistForm(CancelForm):
    """The confirmation of one move to the waiting list: bound to the plan shown."""


class EraseForm(CancelForm):
    """The confirmation of an organiser's erasure: bound to the plan shown."""


class UndoForm(FlaskForm):
    batch = HiddenField(validators=[DataRequired(), Length(max=32)])


class ConfirmForm(FlaskForm):
    override_cap = BooleanField(_l("Exceed the stakeholder type's cap"))


class ChangeTypeForm(FlaskForm):
    type_id = IntegerField(_l("Stakeholder group"), validators=[InputRequired()])
    override_cap = BooleanField(_l("Exceed the stakeholder type's cap"))


class CheckInForm(FlaskForm):
    checked_in = HiddenField()


class SettingsForm(FlaskForm):
    waitlist_enabled = BooleanField(_l("Waiting list when the event is full"))
    requires_approval = BooleanField(_l("Registrations need an organiser's approval"))
    attendance_threshold_minutes = IntegerField(
        _l("Attendance threshold (minutes)"),
        low=0,
        high=1440,
        validators=[InputRequired()],
        description=_l("Minimum time in the meeting to count as attended."),
    )

    @classmethod
    def for_event(cls, event) -> SettingsForm:
        return cls(
            waitlist_enabled=event.waitlist_enabled,
            requires_approval=event.requires_approval,
            attendance_threshold_minutes=event.attendance_threshold_minutes,
        )

    def to_data(self) -> RegistrationSettingsData:
        return RegistrationSettingsData(
            waitlist_enabled=self.waitlist_enabled.data,
            requires_approval=self.requires_approval.data,
            attendance_threshold_minutes=self.attendance_threshold_minutes.data,
        )


class StakeholderTypeForm(FlaskForm):
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=500)])
    target_share = IntegerField(
        _l("Target share (%)"),
        low=0,
        high=100,
        default=0,
        validators=[InputRequired()],
        description=_l("The share of confirmed seats you aim for; all types ≤ 100%."),
    )
    cap = IntegerField(
        _l("Cap"),
        low=0,
        high=MAX_SEATS,
        validators=[Optional()],
        description=_l("Most confirmed seats for this type. Empty: no cap."),
    )

    def to_data(self) -> StakeholderTypeData:
        return StakeholderTypeData(
            label=self.label.data,
            description=self.description.data or "",
            target_share=self.target_share.data,
            cap=self.cap.data,
        )


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    help_text = StringField(_l("Help text"), validators=[Length(max=500)])
    kind = SelectField(_l("Answer"), choices=_opts(KIND_LABELS.items()))
    choices = TextAreaField(
        _l("Choices"),
        description=_l(
            "For choice questions: one choice per line. Moving a choice keeps its "
            "translations; renaming it removes them (the Languages page lists it "
            "as missing again), and answers already given keep the old wording."
        ),
    )
    required = BooleanField(_l("An answer is required"))
    type_keys = SelectMultipleField(
        _l("Shown for"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
        description=_l("None ticked: shown for every stakeholder type."),
    )

    def __init__(self, types, **kwargs):
        super().__init__(**kwargs)
        self.type_keys.choices = _opts((t.key, t.label) for t in types)

    @classmethod
    def for_question(cls, types, question) -> QuestionForm:
        return cls(
            types,
            label=question.label,
            help_text=question.help_text,
            kind=question.kind,
            choices="\n".join(question.choices or []),
            required=question.required,
            type_keys=list(question.type_keys or []),
        )

    def to_data(self) -> QuestionData:
        return QuestionData(
            label=self.label.data,
            kind=self.kind.data,
            help_text=self.help_text.data or "",
            choices=[c.strip() for c in (self.choices.data or "").splitlines()],
            required=self.required.data,
            type_keys=list(self.type_keys.data or []),
        )


class AssistedForm(FlaskForm):
    """An organiser registers someone by phone or in person."""

    full_name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=200)]
    )
    phone = StringField(
        _l("Phone number"),
        validators=[Length(max=40)],
        description=_l("How to reach them: a phone number, or an email below."),
    )
    email = EmailField(
        _l("Email (if they have one)"), validators=[Optional(), Length(max=254)]
    )
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    job_title = StringField(_l("Job title or role"), validators=[Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    city = StringField(_l("City"), validators=[Length(max=120)])
    type_key = SelectField(_l("Stakeholder type"), validators=[DataRequired()])
    role = SelectField(
        _l("Taking part as"),
        choices=_opts(
            [("attendee", _l("Attendee")), ("expert", _l("Expert contributor"))]
        ),
    )
    timezone = TimezoneField(_l("Their time zone"), validators=[DataRequired()])
    language = LanguageField(
        description=_l("The emails and calendar invites we send them are in it.")
    )
    needs_interpretation = StringField(
        _l("Interpretation needed (language)"), validators=[Length(max=200)]
    )
    needs_captions = BooleanField(_l("Needs captions"))
    other_needs = TextAreaField(_l("Other needs"), validators=[Length(max=2000)])
    consent_privacy = BooleanField(
        _l("They agreed to the privacy notice (read or explained to them)"),
        validators=[DataRequired()],
    )
    consent_recording = BooleanField(_l("They agree to being recorded"))
    consent_listing = BooleanField(_l("They agree to appear in the participant list"))
    consent_followup = BooleanField(_l("They agree to follow-up messages"))
    consent_sms = BooleanField(
        _l("The person agrees to receive SMS about this event"),
        description=_l(
            "Their confirmation with their personal link, reminders and how to "
            "join by phone, at the mobile number above."
        ),
    )

    def __init__(self, types, countries, first_zones=(), **kwargs):
        super().__init__(**kwargs)
        self.type_key.choices = _opts(
            [("", _l("Choose…")), *((t.key, t.label) for t in types)]
        )
        self.country.choices = _opts([("", _l("Choose…")), *countries])
        self.timezone.first = tuple(first_zones)
        self.language.prefill(current_app.config["BABEL_DEFAULT_LOCALE"])

    def to_data(self, answers: dict[str, str]) -> RegistrationData:
        values = {
            name: getattr(self, name).data
            for name in RegistrationData.__dataclass_fields__
            if name != "answers" and hasattr(self, name)
        }
        if not self.language.raw_data:
            values["language"] = None  # not submitted: the site's default
        return RegistrationData(**values, answers=answers)
