"""An action's milestones: dated steps, done on a day of the city's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from consult.actions.access import require_plan_editor
from consult.actions.models import TITLE_MAX, Action, Milestone
from consult.actions.services.dates import city_today
from consult.errors import Problems, ValidationFailed
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import date_in_range, date_range_message


@dataclass
class MilestoneData:
    title: str = ""
    due_on: date | None = None


def _due(value: date | None, now: datetime) -> date:
    if value is None:
        raise ValidationFailed(_("Give the due date."), field="due_on")
    if not date_in_range(value, now):
        raise ValidationFailed(date_range_message(now), field="due_on")
    return value


def check_milestone(data: MilestoneData, *, now: datetime) -> dict:
    """The milestone's values checked (every problem at once)."""
    problems = Problems()
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "due_on": problems.take(_due, data.due_on, now),
    }
    problems.raise_any()
    return values


def add_milestone(
    action: Action, actor, data: MilestoneData, *, now: datetime
) -> Milestone:
    """A new milestone of the action, not done yet."""
    require_plan_editor(actor, action.plan.city)
    milestone = Milestone(action_id=action.id, created_at=now)
    for name, value in check_milestone(data, now=now).items():
        setattr(milestone, name, value)
    db.session.add(milestone)
    action.updated_at = now
    db.session.flush()
    db.session.expire(action, ["milestones"])
    return milestone


def update_milestone(
    milestone: Milestone, actor, data: MilestoneData, *, now: datetime
) -> None:
    """Save a milestone's title and due date."""
    require_plan_editor(actor, milestone.action.plan.city)
    for name, value in check_milestone(data, now=now).items():
        setattr(milestone, name, value)
    milestone.action.updated_at = now
    db.session.flush()


def mark_done(
    milestone: Milestone, actor, done_on: date | None, *, now: datetime
) -> None:
    """Mark a milestone done on a day no later than today in the city."""
    city = milestone.action.plan.city
    require_plan_editor(actor, city)
    today = city_today(city, now)
    if done_on is None:
        raise ValidationFailed(_("Give the day it was done."), field="done_on")
    if not date_in_range(done_on, now):
        raise ValidationFailed(date_range_message(now), field="done_on")
    if done_on > today:
        raise ValidationFailed(
            _(
                "A milestone cannot be done after today (%(today)s in the city).",
                today=today.isoformat(),
            ),
            field="done_on",
        )
    milestone.done_on = done_on
    milestone.action.updated_at = now
    db.session.flush()


def reopen(milestone: Milestone, actor, *, now: datetime) -> None:
    """A milestone done by mistake is open again."""
    require_plan_editor(actor, milestone.action.plan.city)
    milestone.done_on = None
    milestone.action.updated_at = now
    db.session.flush()


def delete_milestone(milestone: Milestone, actor, *, now: datetime) -> None:
    action = milestone.action
    require_plan_editor(actor, action.plan.city)
    db.session.delete(milestone)
    action.updated_at = now
    db.session.flush()
    db.session.expire(action, ["milestones"])


def next_milestone(action: Action) -> Milestone | None:
    """The first milestone not done yet, by due date."""
    return next((m for m in action.milestones if m.done_on is None), None)


def is_overdue(action: Action, today: date) -> bool:
    """True when one of the action's milestones is overdue in the city."""
    return any(m.is_overdue(today) for m in action.milestones)
