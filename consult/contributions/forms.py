"""Forms of the contributions pages. Rules live in the services; forms parse input."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from consult.categories import category_choices
from consult.contributions.models import KINDS
from consult.contributions.services import (
    KIND_LABELS,
    CallData,
    CityChallengeData,
    ProposalData,
    SpeakerInput,
)
from consult.contributions.services.calls import MAX_DURATION
from consult.forms import (
    EmailField,
    FlaskForm,
    Form,
    IntegerField,
    LanguageField,
    WallClockField,
    invitee_language_field,
)
from consult.numbers import coerce_id
from consult.zone_field import TimezoneField

SPEAKER_ROWS = 4


def opts(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class CallForm(FlaskForm):
    opens_at = WallClockField(
        _l("Proposals open"), required=False, description=_l("Empty: open now.")
    )
    closes_at = WallClockField(_l("Proposals close"), required=True)
    guidelines = TextAreaField(
        _l("Guidelines"),
        validators=[Length(max=10000)],
        description=_l(
            "What you are looking for, and how proposals are chosen. Markdown."
        ),
    )
    best_practice = StringField(
        _l("Best-practice presentations: durations (minutes)"),
        description=_l(
            "For example “10, 15”. Leave empty if you do not seek this kind."
        ),
    )
    case_study = StringField(_l("Case studies: durations (minutes)"))
    panel_statement = StringField(_l("Panel statements: durations (minutes)"))

    @classmethod
    def for_call(cls, call, zone):
        if call is None:
            return cls(formdata=None, data={"best_practice": "10, 15"})
        data = {
            "opens_at": WallClockField.from_instant(call.opens_at, zone),
            "closes_at": WallClockField.from_instant(call.closes_at, zone),
            "guidelines": call.guidelines_md,
        }
        for kind in KINDS:
            data[kind] = ", ".join(str(d) for d in (call.kinds or {}).get(kind, []))
        return cls(formdata=None, data=data)

    def to_data(self) -> CallData:
        # As typed: the service reads the durations with the other rules.
        kinds = {kind: getattr(self, kind).data or "" for kind in KINDS}
        return CallData(
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
            guidelines=self.guidelines.data or "",
            kinds=kinds,
        )


class SpeakerForm(Form):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    email = EmailField(_l("Email"), validators=[Length(max=254)])
    affiliation = StringField(_l("Affiliation"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    country = StringField(_l("Country"), validators=[Length(max=120)])
    timezone = TimezoneField(
        _l("Time zone"),
        description=_l("The speaker's slot is sent in this time zone."),
    )
    bio = TextAreaField(_l("Short bio"), validators=[Length(max=1000)])
    language = LanguageField(
        description=_l("Their slot and calendar invitation are written in it.")
    )


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    abstract = TextAreaField(
        _l("Abstract"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l("What you will present and why it matters here. Markdown."),
    )
    kind = SelectField(_l("Kind of contribution"))
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        low=1,
        high=MAX_DURATION,
        validators=[InputRequired(message=_l("Give the duration in minutes."))],
    )
    challenge_ids = SelectMultipleField(
        _l("Related challenges"),
        coerce=coerce_id,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    speakers = FieldList(
        FormField(SpeakerForm), min_entries=SPEAKER_ROWS, max_entries=SPEAKER_ROWS
    )
    slides = FileField(
        _l("Slides (optional)"),
        description=_l("PDF, PowerPoint (.pptx) or OpenDocument (.odp)."),
    )
    consent_publish = BooleanField(
        _l(
            "The slides may be published on the event's page once the session is "
            "in the published agenda."
        )
    )

    def setup(self, event, call, challenges, language: str | None = None):
        """Choices for this call; ``language`` (else the page's) for the
        speakers' rows that have none yet."""
        language = language or str(get_locale())
        self.kind.choices = opts(
            (k, str(KIND_LABELS[k])) for k in KINDS if k in (call.kinds or {})
        )
        self.challenge_ids.choices = opts((c.id, c.title) for c in challenges)
        for entry in self.speakers:
            entry.form.timezone.first = (event.timezone,)
            if not entry.form.timezone.data:
                entry.form.timezone.data = event.timezone
            entry.form.language.prefill(language)
        if "language" in self:
            self.language.prefill(language)
        return self

    @classmethod
    def for_proposal(cls, proposal):
        speakers = [
            {
                "name": s.name,
                "email": s.email,
                "affiliation": s.affiliation,
                "city": s.city,
                "country": s.country,
                "timezone": s.timezone,
                "bio": s.bio,
                "language": s.language,
            }
            for s in proposal.speakers
        ]
        return cls(
            formdata=None,
            data={
                "title": proposal.title,
                "abstract": proposal.abstract_md,
                "kind": proposal.kind,
                "duration_minutes": proposal.duration_minutes,
                "challenge_ids": proposal.challenge_ids,
                "consent_publish": proposal.consent_publish,
                "speakers": speakers,
            },
        )

    def to_data(self, slides=None) -> ProposalData:
        return ProposalData(
            title=self.title.data or "",
            abstract=self.abstract.data or "",
            kind=self.kind.data or "",
            duration_minutes=self.duration_minutes.data,
            speakers=[
                SpeakerInput(
                    **{
                        **entry.data,
                        # Not submitted: the proposer's language.
                        "language": entry.data["language"]
                        if entry.form.language.raw_data
                        else None,
                    }
                )
                for entry in self.speakers
            ],
            challenge_ids=list(self.challenge_ids.data or []),
            consent_publish=bool(self.consent_publish.data),
            slides=slides,
        )


class NewProposalForm(ProposalForm):
    proposer_name = StringField(
        _l("Your name"), validators=[DataRequired(), Length(max=200)]
    )
    proposer_email = EmailField(
        _l("Your email"),
        validators=[DataRequired(), Length(max=254)],
        description=_l(
            "Your personal link to edit or withdraw the proposal goes here."
        ),
    )
    language = LanguageField()

    def to_data(self, slides=None) -> ProposalData:
        data = super().to_data(slides)
        data.proposer_name = self.proposer_name.data or ""
        data.proposer_email = self.proposer_email.data or ""
        # Not submitted at all (an older page): the site's default.
        data.language = self.language.data if self.language.raw_data else None
        return data


class LanguageForm(FlaskForm):
    """A person reached by a personal link sets their language for messages."""

    language = LanguageField()


class ConfirmForm(FlaskForm):
    confirm = BooleanField(_l("Yes, I want to do this"), validators=[DataRequired()])


class EraseForm(FlaskForm):
    """Erasing needs its own tick (rendered with prefix "erase")."""

    confirm = BooleanField(
        _l("Yes, erase my personal data (this cannot be undone)"),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )


class LinkResendForm(FlaskForm):
    """The call page's "Lost your link?" form."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the email address you used for your proposal.")),
            Length(max=254),
        ],
    )


class ActionForm(FlaskForm):
    """A button: CSRF only."""


class RatingForm(FlaskForm):
    score = RadioField(
        _l("Your rating"),
        choices=opts((str(n), str(n)) for n in range(1, 6)),
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=opts(
            [
                ("accepted", _l("Accept and place in the agenda")),
                ("reserve", _l("Keep in reserve")),
                ("rejected", _l("Reject")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    start = WallClockField(
        _l("Slot start (event time)"),
        required=False,
        description=_l("Needed to accept; the slot lasts the proposal's duration."),
    )
    message = TextAreaField(
        _l("Message to the proposer"),
        validators=[Length(max=5000)],
        description=_l("Sent by email with the decision. Edit it as you wish."),
    )
    confirm = BooleanField(_l("Place it there despite the warnings"))


class PlaceForm(FlaskForm):
    start = WallClockField(_l("Slot start (event time)"), required=True)
    confirm = BooleanField(_l("Place it there despite the warnings"))


class ReviewerForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(
        _l("Name"),
        validators=[Length(max=200)],
        description=_l("Used only when a new account is created."),
    )


class RepresentativeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    language = invitee_language_field()


class CityChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Category"), choices=opts(category_choices()))
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10000)],
        description=_l(
            "What the problem is, who it affects, what you are looking for. Markdown."
        ),
    )
    evidence_links = TextAreaField(
        _l("Evidence links"),
        description=_l(
            "Reports, data or articles: one web address per line, up to 10."
        ),
    )

    @classmethod
    def for_item(cls, item):
        return cls(
            formdata=None,
            data={
                "title": item.title,
                "category": item.category,
                "description": item.description,
                "evidence_links": "\n".join(item.evidence_links or []),
            },
        )

    def to_data(self) -> CityChallengeData:
        return CityChallengeData(
            title=self.title.data or "",
            description=self.description.data or "",
            category=self.category.data or "",
            evidence_links=self.evidence_links.data or "",
        )
