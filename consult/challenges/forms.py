"""Forms of the challenges area. Rules live in the services; forms parse input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.categories import category_choices
from consult.challenges.labels import (
    BUDGET_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
)
from consult.challenges.models import (
    BODY_MAX,
    DESCRIPTION_MAX,
    INPUT_KINDS,
    LONG_MAX,
    SHORT_MAX,
    TITLE_MAX,
)
from consult.challenges.services import (
    KEEP,
    ChallengeData,
    ExpertProfile,
    InputData,
    WindowData,
)
from consult.content import text_in
from consult.forms import (
    EmailField,
    FlaskForm,
    LanguageField,
    WallClockField,
    invitee_language_field,
)
from consult.numbers import coerce_id, parse_int
from consult.registration.countries import country_choices
from consult.timeutil import wall_clock
from consult.zone_field import TimezoneField


def opts(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice("" if v is None else str(v), label) for v, label in pairs]


class ChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    city = StringField(
        _l("City that owns the challenge"),
        validators=[Length(max=120)],
        description=_l("For example Petaling Jaya."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=DESCRIPTION_MAX)],
        description=_l("Markdown: **bold**, *italic*, lists, links."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = opts(category_choices())

    def to_data(self) -> ChallengeData:
        return ChallengeData(
            title=self.title.data or "",
            description=self.description.data or "",
            category=self.category.data or "",
            city=self.city.data or "",
        )


def _day(event) -> str:
    return f"{wall_clock(event.start_at, event.timezone):%Y-%m-%d}"


class ChallengeEditForm(ChallengeForm):
    """A challenge's edit form: also which challenge of an earlier event of
    the same host city it is (its priorities then read side by side)."""

    same_as = SelectField(
        _l("Same challenge as"),
        # The service decides which challenges may be named (and says why not).
        validate_choice=False,
        description=_l(
            "A challenge of an earlier event of this host city that this one "
            "carries on, so their priorities can be compared across events."
        ),
    )

    def set_links(self, candidates, linked: int | None, *, keep: bool) -> None:
        """The choices: none, the current link kept (one through events the
        organiser does not manage), then each candidate; ``linked`` chosen."""
        choices = [("", _l("None: a challenge of its own"))]
        if keep:
            choices.append((KEEP, _l("Keep the current link")))
        choices += [
            (str(c.id), f"{c.event.title} ({_day(c.event)}): {c.title}")
            for c in candidates
        ]
        self.same_as.choices = opts(choices)
        if not self.is_submitted():
            self.same_as.data = KEEP if keep else str(linked or "")

    def link_value(self):
        """None, KEEP, or the id typed (checked by the service)."""
        return (self.same_as.data or "").strip() or None


class WindowForm(FlaskForm):
    opens_at = WallClockField(
        _l("Submissions open"),
        validators=[Optional()],
    )
    closes_at = WallClockField(
        _l("Submissions close"),
        validators=[Optional()],
        description=_l("Leave empty to keep the window open."),
    )
    priority_method = SelectField(
        _l("Prioritisation method"),
        choices=opts(METHOD_LABELS.items()),
    )

    @classmethod
    def for_settings(cls, settings, zone):
        return cls(
            data={
                "opens_at": WallClockField.from_instant(settings.opens_at, zone),
                "closes_at": WallClockField.from_instant(settings.closes_at, zone),
                "priority_method": settings.priority_method,
            }
        )

    def to_data(self) -> WindowData:
        return WindowData(
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
            priority_method=self.priority_method.data,
        )


class InputForm(FlaskForm):
    kind = SelectField(
        _l("Kind of input"),
        choices=opts((k, KIND_LABELS[k]) for k in INPUT_KINDS),
        validators=[DataRequired()],
    )
    challenge_id = SelectField(
        _l("Challenge"), coerce=lambda v: coerce_id(v) if v else None
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Your input"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description=_l("Markdown: **bold**, *italic*, lists, links."),
    )
    category = SelectField(
        _l("Topic"),
        coerce=lambda v: v or "",
        default="",
        description=_l("Where the library files it; by default the challenge's."),
    )
    city = StringField(_l("City"), validators=[Length(max=120)])
    country = SelectField(_l("Country"), default="")
    organisation = StringField(_l("Organisation"), validators=[Length(max=SHORT_MAX)])
    period = StringField(
        _l("Period"),
        validators=[Length(max=120)],
        description=_l("For example 2019–2023."),
    )
    results = TextAreaField(
        _l("Results"),
        validators=[Length(max=LONG_MAX)],
        description=_l("What it achieved, with numbers where you have them."),
    )
    links = TextAreaField(
        _l("Links"),
        validators=[Length(max=LONG_MAX)],
        description=_l("One web address per line."),
    )
    lead = StringField(_l("Who would lead it"), validators=[Length(max=SHORT_MAX)])
    partners = TextAreaField(_l("Partners"), validators=[Length(max=LONG_MAX)])
    budget_range = SelectField(
        _l("Rough budget"), choices=opts(BUDGET_LABELS.items()), default=""
    )
    timeline = StringField(
        _l("Timeline"),
        validators=[Length(max=SHORT_MAX)],
        description=_l("For example: 6 months from mid-2027."),
    )
    consent_named = BooleanField(
        _l("Show my name and organisation with this input when it is published")
    )

    def __init__(self, challenges, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        challenges = list(challenges)
        if current is not None and current not in challenges:
            challenges.append(current)  # archived since: the input may keep it
        self.category.choices = opts(
            [("", _l("Same as the challenge")), *category_choices()]
        )
        self.challenge_id.choices = opts(
            [("", _l("General (no single challenge)"))]
            + [(c.id, text_in(c, "title")) for c in challenges]
        )
        self.country.choices = opts([("", _l("Choose a country")), *country_choices()])

    def to_data(self) -> InputData:
        return InputData(
            kind=self.kind.data,
            title=self.title.data or "",
            body=self.body.data or "",
            challenge_id=self.challenge_id.data or None,
            category=self.category.data or None,
            city=self.city.data or "",
            country=self.country.data or "",
            organisation=self.organisation.data or "",
            period=self.period.data or "",
            results=self.results.data or "",
            links=self.links.data or "",
            lead=self.lead.data or "",
            partners=self.partners.data or "",
            budget_range=self.budget_range.data or "",
            timeline=self.timeline.data or "",
            consent_named=self.consent_named.data,
        )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (shown to the author)"),
        validators=[DataRequired(), Length(max=1000)],
    )


class MergeForm(FlaskForm):
    target_id = SelectField(
        _l("Duplicate of"), coerce=lambda v: coerce_id(v) if v else None
    )


class ModerationForm(FlaskForm):
    tags = StringField(
        _l("Tags"),
        validators=[Length(max=500)],
        description=_l("Separated by commas."),
    )
    answer = TextAreaField(
        _l("Public answer"),
        validators=[Length(max=BODY_MAX)],
        description=_l("Shown under the input on the public page. Markdown."),
    )
    selected_for_plan = BooleanField(_l("Selected for the action plan"))


class InviteExpertForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    message = TextAreaField(
        _l("Personal message"),
        validators=[Length(max=2000)],
        description=_l("Optional; added to the invitation email."),
    )
    language = invitee_language_field()


class ExpertProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    country = SelectField(_l("Country"), default="")
    expertise = TextAreaField(
        _l("Your expertise"),
        validators=[Length(max=2000)],
        description=_l("A few lines for the organisers."),
    )
    timezone = TimezoneField(
        _l("Your time zone"),
        description=_l("Times on your pages are given in this zone."),
    )
    language = LanguageField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = opts([("", _l("Choose a country")), *country_choices()])

    def to_profile(self) -> ExpertProfile:
        return ExpertProfile(
            name=self.name.data or "",
            organisation=self.organisation.data or "",
            city=self.city.data or "",
            country=self.country.data or "",
            expertise=self.expertise.data or "",
            timezone=self.timezone.data or "",
            # Not submitted at all (an older page): left as it is.
            language=self.language.data if self.language.raw_data else None,
        )


class ActionForm(FlaskForm):
    """A button: only the CSRF token."""


class PriorityForm(FlaskForm):
    """Points or ranks arrive as fields named c-<challenge id>; see values()."""

    def values(self, formdata, challenges) -> dict[int, int | None]:
        """challenge id -> the number typed: 0 when empty, None when not a number."""
        result = {}
        for challenge in challenges:
            raw = (formdata.get(f"c-{challenge.id}") or "").strip() or "0"
            result[challenge.id] = parse_int(raw)
        return result


__all__ = [
    "ActionForm",
    "ChallengeForm",
    "ExpertProfileForm",
    "HideForm",
    "InputForm",
    "InviteExpertForm",
    "MergeForm",
    "ModerationForm",
    "PriorityForm",
    "WindowForm",
]
