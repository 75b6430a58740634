"""The commitment form. Rules live in the services; the form parses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.covenant.labels import PILLAR_LABELS, STATUS_LABELS
from consult.covenant.models import (
    COMMITMENT_STATUSES,
    DESCRIPTION_MAX,
    FIRST_YEAR,
    LAST_YEAR,
    PILLARS,
    TARGET_MAX,
    TITLE_MAX,
)
from consult.covenant.services.editing import CommitmentData
from consult.forms import DayField, FlaskForm, IntegerField
from consult.numbers import coerce_id


def _year(label):
    return IntegerField(label, low=FIRST_YEAR, high=LAST_YEAR, validators=[Optional()])


class CommitmentForm(FlaskForm):
    pillar = SelectField(
        _l("Pillar"), choices=[SelectChoice(p, PILLAR_LABELS[p]) for p in PILLARS]
    )
    title = StringField(
        _l("Commitment"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    target = StringField(
        _l("Target"),
        validators=[Length(max=TARGET_MAX)],
        description=_l(
            "For example: CO₂ emissions cut by 40 per cent by 2030, against 2015."
        ),
    )
    reduction_percent = IntegerField(
        _l("Reduction (%)"), low=0, high=100, validators=[Optional()]
    )
    base_year = _year(_l("Base year"))
    target_year = _year(_l("Target year"))
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in COMMITMENT_STATUSES],
    )
    status_on = DayField(_l("Status since"), required=True)
    description = TextAreaField(
        _l("Description"), validators=[Length(max=DESCRIPTION_MAX)]
    )
    action_ids = SelectMultipleField(
        _l("Actions serving it"),
        coerce=coerce_id,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
        description=_l("Only published actions show on the city's page."),
    )

    def offer(self, actions) -> None:
        """The actions of the city's plan."""
        self.action_ids.choices = [SelectChoice(a.id, a.title) for a in actions]

    @classmethod
    def for_commitment(cls, commitment) -> CommitmentForm:
        return cls(
            formdata=None,
            data={
                "pillar": commitment.pillar,
                "title": commitment.title,
                "target": commitment.target,
                "reduction_percent": commitment.reduction_percent,
                "base_year": commitment.base_year,
                "target_year": commitment.target_year,
                "status": commitment.status,
                "status_on": commitment.status_on,
                "description": commitment.description,
                "action_ids": [a.id for a in commitment.actions],
            },
        )

    def to_data(self) -> CommitmentData:
        return CommitmentData(
            pillar=self.pillar.data or "",
            title=self.title.data or "",
            target=self.target.data or "",
            reduction_percent=self.reduction_percent.data,
            base_year=self.base_year.data,
            target_year=self.target_year.data,
            status=self.status.data or "",
            status_on=self.status_on.data,
            description=self.description.data or "",
            action_ids=list(self.action_ids.data or []),
        )
