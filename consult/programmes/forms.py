"""Forms of the programme pages. Rules live in the services; forms parse input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import EmailField, FlaskForm, IntegerField
from consult.programmes.services.city_records import MAX_POPULATION


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20000)],
        description=_l("Markdown: **bold**, *italic*, lists, links, ## headings."),
    )


class OrganiserForm(FlaskForm):
    email = EmailField(
        _l("Email address of an organiser account"),
        validators=[DataRequired(), Length(max=254)],
    )


class EventChoiceForm(FlaskForm):
    """One event, among those the page offers (the service checks it)."""

    event_id = SelectField(_l("Event"), choices=[], coerce=int, validate_choice=True)

    def offer(self, events) -> EventChoiceForm:
        self.event_id.choices = [(e.id, e.title) for e in events]
        return self


class PairForm(FlaskForm):
    host_city = StringField(
        _l("Host city"), validators=[DataRequired(), Length(max=120)]
    )
    host_country = StringField(_l("Host country"), validators=[Length(max=120)])
    partner_city = StringField(
        _l("Partner city"), validators=[DataRequired(), Length(max=120)]
    )
    partner_country = StringField(_l("Partner country"), validators=[Length(max=120)])
    themes = StringField(
        _l("Themes of their cooperation"),
        validators=[Length(max=500)],
        description=_l("For example: circular economy, waste."),
    )


class CityForm(FlaskForm):
    region = StringField(
        _l("Region"),
        validators=[Length(max=120)],
        description=_l("For example: South-East Asia."),
    )
    population = IntegerField(
        _l("Population"), low=0, high=MAX_POPULATION, validators=[Optional()]
    )
    representative = EmailField(
        _l("Representative's account"),
        validators=[Length(max=254)],
        description=_l("The email address of an existing account; empty for none."),
    )
