"""Forms of the action plan pages. Rules live in the services; forms parse."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.actions.labels import KIND_LABELS, STATUS_LABELS
from consult.actions.models import (
    ACTION_KINDS,
    ACTION_STATUSES,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from consult.actions.services.editing import ActionData, PlanData
from consult.actions.services.milestones import MilestoneData
from consult.forms import DayField, FlaskForm, IntegerField
from consult.numbers import coerce_id

MARKDOWN_HELP = _l("Markdown: **bold**, *italic*, lists, links.")


def _options(values, labels) -> list[SelectChoice]:
    return [SelectChoice(v, labels[v]) for v in values]


class AmountField(StringField):
    """A sum of money as typed ("12500", "12500.50"): a Decimal, or None."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "") or ""
        text = raw.strip().replace(",", "")
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text)
        except (InvalidOperation, ValueError) as exc:
            self.data = None
            raise ValueError(
                str(_l("Enter an amount, such as 25000 or 25000.50."))
            ) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:f}"


class PlanForm(FlaskForm):
    title = StringField(
        _l("Title of the plan"),
        validators=[InputRequired(), Length(max=TITLE_MAX)],
    )
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Length(max=TEXT_MAX)],
        description=MARKDOWN_HELP,
    )

    def to_data(self) -> PlanData:
        return PlanData(
            title=self.title.data or "", introduction=self.introduction.data or ""
        )


def _links(label):
    return SelectMultipleField(
        label,
        coerce=coerce_id,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )


class ActionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=TEXT_MAX)], description=MARKDOWN_HELP
    )
    kind = SelectField(_l("Kind"), choices=_options(ACTION_KINDS, KIND_LABELS))
    challenge_ids = _links(_l("Challenges it answers"))
    input_ids = _links(_l("Inputs it builds on"))
    lead_organisation = StringField(
        _l("Lead organisation"), validators=[Length(max=SHORT_MAX)]
    )
    partners = TextAreaField(
        _l("Partners"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("One per line: organisations, and European partner cities."),
    )
    budget_amount = AmountField(_l("Budget"), validators=[Optional()])
    budget_currency = StringField(
        _l("Currency"),
        validators=[Length(max=3)],
        description=_l("Three letters, such as MYR or EUR."),
    )
    funding_source = StringField(
        _l("Funding source"), validators=[Length(max=SHORT_MAX)]
    )
    start_on = DayField(_l("Start"), required=False)
    end_on = DayField(_l("End"), required=False)
    status = SelectField(_l("Status"), choices=_options(ACTION_STATUSES, STATUS_LABELS))
    progress = IntegerField(
        _l("Progress (%)"),
        low=0,
        high=100,
        validators=[InputRequired()],
        description=_l("Done sets it to 100."),
    )

    def offer(self, challenges, inputs) -> None:
        """The challenges and inputs the city's consultations allow."""
        self.challenge_ids.choices = [SelectChoice(c.id, c.title) for c in challenges]
        self.input_ids.choices = [SelectChoice(i.id, i.title) for i in inputs]

    @classmethod
    def for_data(cls, data: ActionData) -> ActionForm:
        return cls(formdata=None, data=vars(data))

    @classmethod
    def for_action(cls, action) -> ActionForm:
        return cls.for_data(
            ActionData(
                title=action.title,
                description=action.description_md,
                kind=action.kind,
                challenge_ids=[c.id for c in action.challenges],
                input_ids=[i.id for i in action.inputs],
                lead_organisation=action.lead_organisation,
                partners=action.partners,
                budget_amount=action.budget_amount,
                budget_currency=action.budget_currency,
                funding_source=action.funding_source,
                start_on=action.start_on,
                end_on=action.end_on,
                status=action.status,
                progress=action.progress,
            )
        )

    def to_data(self) -> ActionData:
        return ActionData(
            title=self.title.data or "",
            description=self.description.data or "",
            kind=self.kind.data or "",
            challenge_ids=list(self.challenge_ids.data or []),
            input_ids=list(self.input_ids.data or []),
            lead_organisation=self.lead_organisation.data or "",
            partners=self.partners.data or "",
            budget_amount=self.budget_amount.data,
            budget_currency=self.budget_currency.data or "",
            funding_source=self.funding_source.data or "",
            start_on=self.start_on.data,
            end_on=self.end_on.data,
            status=self.status.data or "",
            progress=self.progress.data,
        )


class MilestoneForm(FlaskForm):
    title = StringField(
        _l("Milestone"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    due_on = DayField(_l("Due on"), required=True)

    def to_data(self) -> MilestoneData:
        return MilestoneData(title=self.title.data or "", due_on=self.due_on.data)


class DoneForm(FlaskForm):
    done_on = DayField(_l("Done on"), required=True)


class VersionForm(FlaskForm):
    note = TextAreaField(
        _l("What changed"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("For example: adopted by the city council on 3 March."),
    )


class ButtonForm(FlaskForm):
    """A button that changes something: CSRF only."""
