"""Adding, changing and deleting a city's Covenant of Mayors commitments.

Editors are those who may edit the city's action plan (consult.actions.access).
Every check runs before anything is written and reports all problems at once
(``Problems``); the actions serving a commitment come from the city's own
plan only. Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.actions.access import require_plan_editor
from consult.actions.models import Action, ActionPlan
from consult.cities.models import City
from consult.covenant.models import (
    COMMITMENT_STATUSES,
    DESCRIPTION_MAX,
    FIRST_YEAR,
    LAST_YEAR,
    PILLARS,
    TARGET_MAX,
    TITLE_MAX,
    CovenantAction,
    CovenantCommitment,
)
from consult.errors import Problems, ValidationFailed
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import date_in_range, date_range_message


@dataclass
class CommitmentData:
    """A commitment as typed in its form."""

    pillar: str = ""
    title: str = ""
    target: str = ""
    reduction_percent: int | None = None
    base_year: int | None = None
    target_year: int | None = None
    status: str = "planned"
    status_on: date | None = None
    description: str = ""
    action_ids: list[int] = field(default_factory=list)


def city_actions(city: City) -> list[Action]:
    """The actions of the city's plan (published or not), in the plan's order."""
    return list(
        db.session.scalars(
            select(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id)
            .where(ActionPlan.city_id == city.id)
            .order_by(Action.position, Action.id)
        )
    )


def _choice(value: str, allowed, name: str) -> str:
    if value not in allowed:
        raise ValidationFailed(_("Choose one of the options."), field=name)
    return value


def _year(value: int | None, name: str) -> int | None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationFailed(
            _(
                "Enter a year between %(first)d and %(last)d.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
            field=name,
        )
    return value


def _percent(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 100:
        raise ValidationFailed(
            _("Enter a percentage from 0 to 100."), field="reduction_percent"
        )
    return value


def _status_on(value: date | None, now: datetime) -> date:
    if value is None:
        raise ValidationFailed(_("This field is required."), field="status_on")
    if not date_in_range(value, now):
        raise ValidationFailed(date_range_message(now), field="status_on")
    return value


def _actions(city: City, ids: list[int]) -> list[Action]:
    mine = {a.id: a for a in city_actions(city)}
    if any(i not in mine for i in ids):
        raise ValidationFailed(
            _("Choose actions of this city's plan."), field="action_ids"
        )
    return [mine[i] for i in dict.fromkeys(ids)]


def check_commitment(city: City, data: CommitmentData, *, now: datetime) -> dict:
    """The commitment's values checked (every problem at once); writes nothing."""
    problems = Problems()
    take = problems.take
    values = {
        "pillar": take(_choice, data.pillar, PILLARS, "pillar"),
        "title": take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "target": take(clean_text, data.target, "target", max_length=TARGET_MAX),
        "reduction_percent": take(_percent, data.reduction_percent),
        "base_year": take(_year, data.base_year, "base_year"),
        "target_year": take(_year, data.target_year, "target_year"),
        "status": take(_choice, data.status, COMMITMENT_STATUSES, "status"),
        "status_on": take(_status_on, data.status_on, now),
        "description": take(
            clean_text, data.description, "description", max_length=DESCRIPTION_MAX
        ),
        "actions": take(_actions, city, list(data.action_ids)),
    }
    base, target = values["base_year"], values["target_year"]
    if base is not None and target is not None and target < base:
        problems.add(
            _("The target year cannot be before the base year."), "target_year"
        )
    problems.raise_any()
    return values


def _apply(commitment: CovenantCommitment, values: dict, now: datetime) -> None:
    actions = values.pop("actions")
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.updated_at = now
    db.session.flush()
    db.session.execute(
        delete(CovenantAction).where(CovenantAction.commitment_id == commitment.id)
    )
    db.session.add_all(
        CovenantAction(commitment_id=commitment.id, action_id=a.id) for a in actions
    )
    db.session.flush()
    db.session.expire(commitment, ["actions"])


def create_commitment(
    city: City, actor, data: CommitmentData, *, now: datetime
) -> CovenantCommitment:
    """A new commitment of the city, with the actions serving it."""
    require_plan_editor(actor, city)
    values = check_commitment(city, data, now=now)
    commitment = CovenantCommitment(city_id=city.id, created_at=now)
    db.session.add(commitment)
    _apply(commitment, values, now)
    return commitment


def update_commitment(
    commitment: CovenantCommitment, actor, data: CommitmentData, *, now: datetime
) -> CovenantCommitment:
    """The commitment changed as the editor typed it."""
    require_plan_editor(actor, commitment.city)
    values = check_commitment(commitment.city, data, now=now)
    _apply(commitment, values, now)
    return commitment


def delete_commitment(commitment: CovenantCommitment, actor) -> None:
    """The commitment gone (its links to actions with it)."""
    require_plan_editor(actor, commitment.city)
    db.session.delete(commitment)
    db.session.flush()


def commitments_of(city: City) -> list[CovenantCommitment]:
    """The city's commitments, by pillar, then in the order they were made."""
    order = {p: i for i, p in enumerate(PILLARS)}
    rows = db.session.scalars(
        select(CovenantCommitment).where(CovenantCommitment.city_id == city.id)
    )
    return sorted(rows, key=lambda c: (order[c.pillar], c.id))
