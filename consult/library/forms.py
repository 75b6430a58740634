"""Library forms: the public search and filters, and organisers' resources."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from consult.categories import category_choices
from consult.errors import ValidationFailed
from consult.forms import FlaskForm, Form
from consult.library.services import LibraryQuery, ResourceData
from consult.library.services.resources import (
    CITY_MAX,
    LINK_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    clean_link,
)
from consult.library.services.search import MAX_QUERY_LENGTH
from consult.numbers import parse_id, parse_int
from consult.registration.countries import country_choices, country_name


def _int_or_none(value):
    """An id from a select; anything else (out of range too) is no id."""
    return parse_id(value)


class SearchForm(Form):
    """The library's GET form; unknown filter values are ignored, not errors."""

    q = SearchField(_l("Search"))
    category = SelectField(_l("Category"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    event = SelectField(_l("Event"), validate_choice=False)
    page = StringField()

    def set_choices(self, countries: list[str], events) -> None:
        self.category.choices = [("", _l("All categories")), *category_choices()]
        self.country.choices = [("", _l("All countries"))] + [
            (code, country_name(code)) for code in countries
        ]
        self.event.choices = [("", _l("All events"))] + [
            (str(event.id), event.title) for event in events
        ]

    def to_query(self) -> LibraryQuery:
        category = self.category.data or ""
        return LibraryQuery(
            q=(self.q.data or "").strip()[:MAX_QUERY_LENGTH],
            category=category if category in dict(category_choices()) else "",
            country=(self.country.data or "").strip().upper()[:2],
            event_id=_int_or_none(self.event.data),
        )

    @property
    def page_number(self) -> int:
        return parse_int(self.page.data, low=1, high=100000) or 1


class ResourceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary"),
        description=_l(
            "What the resource is and why it is useful. Markdown: **bold**, "
            "*italic*, lists and links."
        ),
        validators=[Length(max=SUMMARY_MAX)],
    )
    link = URLField(
        _l("Link"),
        description=_l("The public web address of the resource."),
        validators=[Length(max=LINK_MAX)],
    )
    city = StringField(_l("City"), validators=[Length(max=CITY_MAX)])
    country = SelectField(_l("Country"))
    category = SelectField(_l("Category"), validators=[DataRequired()])
    event = SelectField(
        _l("Source event"),
        description=_l("You can attach resources to events you organise."),
        validators=[DataRequired()],
    )
    challenge = SelectField(
        _l("Challenge"),
        description=_l("Optional: one of the source event's challenges."),
    )

    def validate_link(self, field) -> None:
        try:
            clean_link(field.data)
        except ValidationFailed as exc:
            raise ValidationError(exc.message) from None

    def set_choices(self, events, challenges_by_event) -> None:
        self.country.choices = [("", _l("No country"))] + list(country_choices())
        self.category.choices = [("", _l("Choose a category")), *category_choices()]
        self.event.choices = [("", _l("Choose an event"))] + [
            (str(event.id), event.title) for event in events
        ]
        options = [("", _l("No challenge"))]
        for event in events:
            options += [
                (str(challenge.id), f"{event.title} — {challenge.title}")
                for challenge in challenges_by_event.get(event.id, [])
            ]
        self.challenge.choices = options

    def fill_from(self, entry) -> None:
        self.title.data = entry.title
        self.summary.data = entry.summary
        self.link.data = entry.links.strip()
        self.city.data = entry.city
        self.country.data = entry.country
        self.category.data = entry.category
        self.event.data = str(entry.event_id)
        self.challenge.data = str(entry.challenge_id or "")

    def to_data(self) -> ResourceData:
        return ResourceData(
            title=self.title.data or "",
            summary=self.summary.data or "",
            link=self.link.data or "",
            city=self.city.data or "",
            country=self.country.data or "",
            category=self.category.data or "",
            event_id=_int_or_none(self.event.data),
            challenge_id=_int_or_none(self.challenge.data),
        )


class DeleteForm(FlaskForm):
    """A delete button: only the CSRF token."""
