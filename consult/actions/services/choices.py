"""What an action may be linked to: the challenges and the selected inputs of
the consultations a city hosts, and the partner cities they named."""

from __future__ import annotations

from sqlalchemy import select

from consult.actions.access import hosted_events
from consult.actions.models import Action, ActionPlan
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.events.models import PartnerCity
from consult.extensions import db

# An input withdrawn from the consultation is no ground for an action.
GONE_STATES = ("hidden", "merged")


def plan_of(city: City) -> ActionPlan | None:
    """The city's plan, or None before it is started."""
    return db.session.scalar(select(ActionPlan).where(ActionPlan.city_id == city.id))


def has_published_plan(city: City) -> bool:
    """True when the city's plan shows at least one action in public."""
    return (
        db.session.scalar(
            select(Action.id)
            .join(ActionPlan, ActionPlan.id == Action.plan_id)
            .where(ActionPlan.city_id == city.id, Action.published_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def _event_ids(city: City) -> list[int]:
    return [event.id for event in hosted_events(city)]


def eligible_challenges(city: City) -> list[Challenge]:
    """The active challenges of the city's consultations, by event then position."""
    return list(
        db.session.scalars(
            select(Challenge)
            .where(
                Challenge.event_id.in_(_event_ids(city)),
                Challenge.archived_at.is_(None),
            )
            .order_by(Challenge.event_id.desc(), Challenge.position, Challenge.id)
        )
    )


def eligible_inputs(city: City) -> list[Input]:
    """The inputs selected for the action plan in the city's consultations."""
    return list(
        db.session.scalars(
            select(Input)
            .where(
                Input.event_id.in_(_event_ids(city)),
                Input.selected_for_plan.is_(True),
                Input.state.not_in(GONE_STATES),
            )
            .order_by(Input.event_id.desc(), Input.id)
        )
    )


def eligible_input(city: City, input_id: int | None) -> Input | None:
    """One selected input of the city's consultations, else None."""
    return next((i for i in eligible_inputs(city) if i.id == input_id), None)


def partner_city_suggestions(city: City) -> list[str]:
    """The European partner cities the city's consultations named, once each."""
    rows = db.session.execute(
        select(PartnerCity.name, PartnerCity.country)
        .where(PartnerCity.event_id.in_(_event_ids(city)))
        .order_by(PartnerCity.event_id.desc(), PartnerCity.position)
    )
    seen: list[str] = []
    for name, country in rows:
        label = f"{name} ({country})" if country else name
        if label not in seen:
            seen.append(label)
    return seen
