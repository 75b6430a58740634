"""Versions of a plan over time: each adoption keeps the published actions
as they were, numbered 1, 2, 3... per plan, never twice the same number."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.actions.access import actor_name, require_plan_editor
from consult.actions.models import TEXT_MAX, ActionPlan, PlanVersion
from consult.actions.services.editing import user_id_of
from consult.errors import Problems
from consult.extensions import db
from consult.text import clean_text


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def snapshot(plan: ActionPlan) -> dict:
    """The plan's published actions as they are now, as plain JSON."""
    return {
        "title": plan.title,
        "actions": [
            {
                "title": action.title,
                "kind": action.kind,
                "status": action.status,
                "progress": action.progress,
                "start_on": _day(action.start_on),
                "end_on": _day(action.end_on),
                "challenges": [c.title for c in action.challenges],
                "milestones": [
                    {
                        "title": m.title,
                        "due_on": _day(m.due_on),
                        "done_on": _day(m.done_on),
                    }
                    for m in action.milestones
                ],
            }
            for action in plan.actions
            if action.is_published
        ],
    }


def adopt_version(plan: ActionPlan, actor, note: str, *, now: datetime):
    """Adopt the plan as it is published now, as its next version."""
    require_plan_editor(actor, plan.city)
    problems = Problems()
    note = problems.take(clean_text, note, "note", max_length=TEXT_MAX)
    if not any(action.is_published for action in plan.actions):
        problems.add(_("Publish at least one action before adopting a version."))
    problems.raise_any()
    # The plan's row, locked: two adoptions at once take 1 and 2, not 1 twice
    # (SQLite's write transactions are serial already).
    db.session.execute(
        select(ActionPlan.id).where(ActionPlan.id == plan.id).with_for_update()
    )
    last = db.session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)
    )
    content = snapshot(plan)
    content["adopted_by"] = actor_name(actor)
    version = PlanVersion(
        plan_id=plan.id,
        number=(last or 0) + 1,
        note=note or "",
        snapshot=content,
        published_by_id=user_id_of(actor),
        published_at=now,
    )
    db.session.add(version)
    db.session.flush()
    db.session.expire(plan, ["versions"])
    return version
