"""Overdue milestones: not done by their due date on the city's calendar."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from consult.actions.models import Action, ActionPlan, Milestone
from consult.actions.services.dates import city_today
from consult.extensions import db


def overdue_milestones(
    plan: ActionPlan, *, now: datetime, published_only: bool = False
) -> list[Milestone]:
    """The plan's overdue milestones, the longest overdue first."""
    today = city_today(plan.city, now)
    query = (
        select(Milestone)
        .join(Action, Milestone.action_id == Action.id)
        .where(
            Action.plan_id == plan.id,
            Milestone.done_on.is_(None),
            Milestone.due_on < today,
        )
        .order_by(Milestone.due_on, Milestone.id)
    )
    if published_only:
        query = query.where(Action.published_at.is_not(None))
    return [m for m in db.session.scalars(query) if m.is_overdue(today)]
