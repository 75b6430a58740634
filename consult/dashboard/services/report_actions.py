"""The report's "Actions from this consultation": the actions of a local
action plan that build on the event's inputs or answer its challenges.

Read from the action plan's tables (the shared schema) in one query; the
report shows the section only once there is such an action.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from consult.actions.models import Action, ActionChallenge, ActionInput, ActionPlan
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.events.models import Event
from consult.extensions import db


@dataclass(frozen=True)
class ReportAction:
    title: str
    kind: str
    status: str
    progress: int
    published: bool
    city_name: str
    city_slug: str


@dataclass(frozen=True)
class ReportActions:
    rows: list[ReportAction]
    # Cities whose plan shows some of them in public: (name, slug).
    public_plans: list[tuple[str, str]]


def consultation_actions(event: Event) -> ReportActions:
    """The actions built on this event's inputs or answering its challenges,
    plan by plan in the plan's order."""
    from_inputs = exists().where(
        ActionInput.action_id == Action.id,
        ActionInput.input_id == Input.id,
        Input.event_id == event.id,
    )
    from_challenges = exists().where(
        ActionChallenge.action_id == Action.id,
        ActionChallenge.challenge_id == Challenge.id,
        Challenge.event_id == event.id,
    )
    found = db.session.execute(
        select(
            Action.title,
            Action.kind,
            Action.status,
            Action.progress,
            Action.published_at,
            City.name,
            City.slug,
        )
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(City, City.id == ActionPlan.city_id)
        .where(or_(from_inputs, from_challenges))
        .order_by(City.name, Action.position, Action.id)
    ).all()
    rows = [
        ReportAction(
            title=r.title,
            kind=r.kind,
            status=r.status,
            progress=r.progress,
            published=r.published_at is not None,
            city_name=r.name,
            city_slug=r.slug,
        )
        for r in found
    ]
    public: dict[str, str] = {}
    for row in rows:
        if row.published:
            public.setdefault(row.city_slug, row.city_name)
    return ReportActions(rows, [(name, slug) for slug, name in public.items()])
