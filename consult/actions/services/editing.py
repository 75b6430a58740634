"""Editing a city's action plan: the plan itself and its actions.

Every service takes the actor (a User or a CityRepresentative) and ``now``,
checks ``require_plan_editor``, reports every problem of one submit at once
(``Problems``), flushes and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.actions.access import require_plan_editor
from consult.actions.models import (
    ACTION_KINDS,
    ACTION_STATUSES,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Action,
    ActionPlan,
)
from consult.actions.services.choices import (
    eligible_challenges,
    eligible_inputs,
    plan_of,
)
from consult.cities.models import City
from consult.contributions.models import CityRepresentative
from consult.errors import Conflict, Problems, ValidationFailed
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import date_in_range, date_range_message

BUDGET_MAX = Decimal("999999999999.99")  # Numeric(14, 2)
PARTNERS_MAX = 50


def user_id_of(actor) -> int | None:
    """The account behind an edit (a representative has none)."""
    return None if isinstance(actor, CityRepresentative) else actor.id


# -- the plan --------------------------------------------------------------------


@dataclass
class PlanData:
    title: str = ""
    introduction: str = ""


def start_plan(city: City, actor, *, now: datetime) -> ActionPlan:
    """The city's plan, started with its default title (one per city)."""
    require_plan_editor(actor, city)
    if plan_of(city) is not None:
        raise Conflict(_("This city's action plan is already started."))
    plan = ActionPlan(
        city_id=city.id,
        title=_("%(city)s local action plan", city=city.name)[:TITLE_MAX],
        introduction_md="",
        created_by_id=user_id_of(actor),
        created_at=now,
        updated_at=now,
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def check_plan(data: PlanData) -> dict:
    """The plan's texts cleaned, or every problem at once."""
    problems = Problems()
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "introduction_md": problems.take(
            clean_text, data.introduction, "introduction", max_length=TEXT_MAX
        ),
    }
    problems.raise_any()
    return values


def update_plan(plan: ActionPlan, actor, data: PlanData, *, now: datetime) -> None:
    """Save the plan's title and introduction (Markdown)."""
    require_plan_editor(actor, plan.city)
    for name, value in check_plan(data).items():
        setattr(plan, name, value)
    plan.updated_at = now
    db.session.flush()


# -- actions ------------------------------------------------------------------------


@dataclass
class ActionData:
    title: str = ""
    description: str = ""
    kind: str = "policy"
    challenge_ids: list[int] = field(default_factory=list)
    input_ids: list[int] = field(default_factory=list)
    lead_organisation: str = ""
    partners: str = ""
    budget_amount: Decimal | None = None
    budget_currency: str = ""
    funding_source: str = ""
    start_on: date | None = None
    end_on: date | None = None
    status: str = "planned"
    progress: int | None = 0


# The kind an input suggests: a pilot proposal is a pilot; a best practice
# is tried locally as a pilot; a solution idea is taken up as a policy; a
# problem or a question for the experts calls for a study first.
KIND_FROM_INPUT = {
    "pilot_proposal": "pilot",
    "best_practice": "pilot",
    "solution_idea": "policy",
    "problem_insight": "study",
    "expert_question": "study",
}


def draft_from_input(city: City, item) -> ActionData:
    """A new action's fields taken from a selected input (``eligible_input``)."""
    challenges = {c.id for c in eligible_challenges(city)}
    lead = item.lead if item.kind == "pilot_proposal" else item.organisation
    return ActionData(
        title=item.title,
        description=item.body,
        kind=KIND_FROM_INPUT.get(item.kind, "policy"),
        challenge_ids=[item.challenge_id] if item.challenge_id in challenges else [],
        input_ids=[item.id],
        lead_organisation=lead or "",
        partners=item.partners or "",
    )


def _choice(value: str, allowed, field_name: str) -> str:
    if value not in allowed:
        raise ValidationFailed(_("Choose one of the options."), field=field_name)
    return value


def _partners(text: str) -> str:
    text = clean_text(text, "partners", max_length=TEXT_MAX)
    names = [" ".join(line.split()) for line in text.splitlines()]
    names = [name for name in names if name]
    if len(names) > PARTNERS_MAX:
        raise ValidationFailed(
            _("At most %(n)d partners, please.", n=PARTNERS_MAX), field="partners"
        )
    if any(len(name) > SHORT_MAX for name in names):
        raise ValidationFailed(
            _("At most %(n)d characters per partner, please.", n=SHORT_MAX),
            field="partners",
        )
    return "\n".join(names)


def _amount(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        finite = value.is_finite()
        places = -value.as_tuple().exponent if finite else 0
    except (AttributeError, InvalidOperation):
        finite, places = False, 0
    if not finite or value < 0 or value > BUDGET_MAX:
        raise ValidationFailed(
            _("Enter an amount from 0 to %(max)s.", max="999,999,999,999.99"),
            field="budget_amount",
        )
    if places > 2:
        raise ValidationFailed(
            _("Give the amount with at most two decimals."), field="budget_amount"
        )
    return value.quantize(Decimal("0.01"))


def _currency(code: str, amount: Decimal | None) -> str:
    code = (code or "").strip().upper()
    if code and (len(code) != 3 or code not in list_currencies()):
        raise ValidationFailed(
            _("Enter a currency code of three letters, such as MYR or EUR."),
            field="budget_currency",
        )
    if amount is not None and not code:
        raise ValidationFailed(
            _("Give the currency of the amount."), field="budget_currency"
        )
    return code


def _day(value: date | None, field_name: str, now: datetime) -> date | None:
    if value is not None and not date_in_range(value, now):
        raise ValidationFailed(date_range_message(now), field=field_name)
    return value


def _progress(value: int | None) -> int:
    if value is None or isinstance(value, bool) or not 0 <= value <= 100:
        raise ValidationFailed(
            _("Enter a whole percentage from 0 to 100."), field="progress"
        )
    return value


def _linked(ids, allowed, field_name: str, message: str) -> list:
    by_id = {row.id: row for row in allowed}
    chosen = list(dict.fromkeys(ids or []))
    if any(i not in by_id for i in chosen):
        raise ValidationFailed(message, field=field_name)
    return [by_id[i] for i in chosen]


def check_action(
    city: City, data: ActionData, *, now: datetime, action: Action | None = None
) -> dict:
    """The action's values checked (every problem at once); writes nothing.

    Challenges and inputs come from the city's consultations; an action keeps
    the links it already has even if an input was unselected since."""
    problems = Problems()
    keep_challenges = list(action.challenges) if action is not None else []
    keep_inputs = list(action.inputs) if action is not None else []
    amount = problems.take(_amount, data.budget_amount)
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "description_md": problems.take(
            clean_text, data.description, "description", max_length=TEXT_MAX
        ),
        "kind": problems.take(_choice, data.kind, ACTION_KINDS, "kind"),
        "challenges": problems.take(
            _linked,
            data.challenge_ids,
            {*eligible_challenges(city), *keep_challenges},
            "challenge_ids",
            _("Choose challenges of this city's consultations."),
        ),
        "inputs": problems.take(
            _linked,
            data.input_ids,
            {*eligible_inputs(city), *keep_inputs},
            "input_ids",
            _(
                "Choose inputs selected for the action plan in this city's "
                "consultations."
            ),
        ),
        "lead_organisation": problems.take(
            clean_text,
            data.lead_organisation,
            "lead_organisation",
            max_length=SHORT_MAX,
        ),
        "partners": problems.take(_partners, data.partners),
        "budget_amount": amount,
        "budget_currency": problems.take(
            _currency, data.budget_currency, data.budget_amount
        ),
        "funding_source": problems.take(
            clean_text, data.funding_source, "funding_source", max_length=SHORT_MAX
        ),
        "start_on": problems.take(_day, data.start_on, "start_on", now),
        "end_on": problems.take(_day, data.end_on, "end_on", now),
        "status": problems.take(_choice, data.status, ACTION_STATUSES, "status"),
        "progress": problems.take(_progress, data.progress),
    }
    start, end = values["start_on"], values["end_on"]
    if start and end and end < start:
        problems.add(_("The end cannot be before the start."), "end_on")
    problems.raise_any()
    # Done means done: a finished action is at 100 %.
    if values["status"] == "done":
        values["progress"] = 100
    return values


def _apply(action: Action, values: dict, now: datetime) -> None:
    for name, value in values.items():
        setattr(action, name, value)
    action.updated_at = now


def create_action(plan: ActionPlan, actor, data: ActionData, *, now: datetime):
    """A new action at the end of the plan, unpublished."""
    require_plan_editor(actor, plan.city)
    values = check_action(plan.city, data, now=now)
    last = db.session.scalar(
        select(func.max(Action.position)).where(Action.plan_id == plan.id)
    )
    action = Action(
        plan_id=plan.id,
        position=(last or 0) + 1,
        created_by_id=user_id_of(actor),
        created_at=now,
    )
    _apply(action, values, now)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, actor, data: ActionData, *, now: datetime) -> None:
    """Save an action's fields (its milestones and updates stay)."""
    require_plan_editor(actor, action.plan.city)
    _apply(action, check_action(action.plan.city, data, now=now, action=action), now)
    db.session.flush()


def move_action(action: Action, actor, step: int, *, now: datetime) -> None:
    """Move an action one place up (-1) or down (+1) in the plan."""
    require_plan_editor(actor, action.plan.city)
    actions = list(action.plan.actions)
    index = actions.index(action)
    other = index + step
    if 0 <= other < len(actions):
        actions[index], actions[other] = actions[other], actions[index]
    for position, row in enumerate(actions, start=1):
        row.position = position
    action.plan.updated_at = now
    db.session.flush()


def set_published(action: Action, actor, published: bool, *, now: datetime) -> None:
    """Show the action on the public page (or take it off)."""
    require_plan_editor(actor, action.plan.city)
    if published and action.published_at is None:
        action.published_at = now
    elif not published:
        action.published_at = None
    action.updated_at = now
    db.session.flush()


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting an action takes with it, for its confirmation page."""

    milestones: int
    updates: int


def deletion_plan(action: Action) -> DeletionPlan:
    return DeletionPlan(len(action.milestones), len(action.updates))


def delete_action(action: Action, actor, *, now: datetime) -> None:
    """Delete an action with its milestones and updates."""
    plan = action.plan
    require_plan_editor(actor, plan.city)
    db.session.delete(action)
    plan.updated_at = now
    db.session.flush()
