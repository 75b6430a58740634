"""Demo content for the Covenant of Mayors: Petaling Jaya's commitments.

One commitment per pillar (mitigation, adaptation, access to energy), each
served by actions of the demo plan (consult.demo.actions), found by title;
one of them, never published, serves a commitment without showing on the
city's page. Status dates count from ``now`` on the city's calendar. Called
by consult.demo.seed_demo() after the plan; a city with commitments already
keeps them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.actions.models import Action, ActionPlan
from consult.actions.services.dates import city_today
from consult.covenant.models import CovenantAction, CovenantCommitment
from consult.extensions import db


@dataclass(frozen=True)
class DemoCommitment:
    pillar: str
    title: str
    target: str
    status: str
    status_days_ago: int
    description: str
    actions: tuple[str, ...]  # titles of the demo plan's actions
    reduction_percent: int | None = None
    base_year: int | None = None
    target_year: int | None = None


COMMITMENTS = (
    DemoCommitment(
        "mitigation",
        "Cut the city's greenhouse gas emissions by 40% by 2030",
        "40% fewer CO₂-equivalent emissions in 2030 than in 2015, on the way "
        "to carbon neutrality by 2050",
        "adopted",
        120,
        "Adopted by the full council with the Low Carbon City Action Plan. "
        "Waste is the city's second source of emissions after transport: "
        "food waste kept out of landfill and recycled materials in public "
        "works count towards the target.",
        (
            "Separate food-waste collection at two hawker centres",
            "Circular procurement pilot for a council building",
            "Recycled aggregate in council road works",
        ),
        reduction_percent=40,
        base_year=2015,
        target_year=2030,
    ),
    DemoCommitment(
        "adaptation",
        "A climate risk and vulnerability assessment for every district",
        "Flood and heat risks mapped for all districts, with the informal "
        "sector's workplaces included, by 2027",
        "in_progress",
        45,
        "Flash floods in low-lying neighbourhoods and heat at open-air "
        "markets hit waste pickers and hawkers first; the assessment names "
        "the places and people most exposed.",
        (
            "Recognise waste pickers in the city's plastics collection",
            "A Petaling Jaya map of sharing and repair",
        ),
        base_year=2024,
        target_year=2027,
    ),
    DemoCommitment(
        "energy_access",
        "Solar power for community recycling and repair centres",
        "Every community recycling and repair centre supplied by rooftop solar by 2028",
        "planned",
        10,
        "Drop-off points and repair cafés open longer hours when their "
        "electricity is their own.",
        ("E-waste drop-off boxes at libraries and malls",),
        base_year=2025,
        target_year=2028,
    ),
)


def seed_covenant(event, *, now: datetime) -> list[CovenantCommitment]:
    """Petaling Jaya's commitments, linked to its plan's actions; flushes;
    [] when the city has commitments already or no plan."""
    city = event.city
    if city is None or db.session.scalar(
        select(CovenantCommitment.id).where(CovenantCommitment.city_id == city.id)
    ):
        return []
    actions = {
        a.title: a
        for a in db.session.scalars(
            select(Action)
            .join(ActionPlan, ActionPlan.id == Action.plan_id)
            .where(ActionPlan.city_id == city.id)
        )
    }
    today = city_today(city, now)
    made = []
    for spec in COMMITMENTS:
        commitment = CovenantCommitment(
            city_id=city.id,
            pillar=spec.pillar,
            title=spec.title,
            target=spec.target,
            reduction_percent=spec.reduction_percent,
            base_year=spec.base_year,
            target_year=spec.target_year,
            status=spec.status,
            status_on=today - timedelta(days=spec.status_days_ago),
            description=spec.description,
            created_at=now,
            updated_at=now,
        )
        db.session.add(commitment)
        db.session.flush()
        db.session.add_all(
            CovenantAction(commitment_id=commitment.id, action_id=actions[t].id)
            for t in spec.actions
            if t in actions
        )
        made.append(commitment)
    db.session.flush()
    return made
