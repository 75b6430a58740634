"""An adopted version of a plan, read from its snapshot for the public page.

The snapshot (``PlanVersion.snapshot``) is JSON written when the version was
adopted, and its shape may grow over time: it is read defensively, and the
page shows what is there. Keys read: ``title`` and ``introduction`` of the
plan; ``actions``, each with ``title``, ``kind``, ``status``, ``progress``,
``start_on``/``end_on`` (ISO dates), ``challenges`` (titles, or objects with
a ``title``) and ``milestones`` (``title``, ``due_on``, ``done_on``).
Anything missing or of the wrong type is left out, never guessed.

An adopted version is a public record of the plan at that date: it stays
readable even if an action in it was later withdrawn from the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from consult.actions.models import (
    ACTION_KINDS,
    ACTION_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    PlanVersion,
)
from consult.actions.services.public_plan import plan_of
from consult.cities.models import City
from consult.errors import NotFound
from consult.extensions import db


@dataclass(frozen=True)
class VersionMilestone:
    title: str
    due_on: date | None
    done_on: date | None


@dataclass
class VersionAction:
    title: str
    kind: str | None
    status: str | None
    progress: int | None
    start_on: date | None
    end_on: date | None
    challenges: list[str] = field(default_factory=list)
    milestones: list[VersionMilestone] = field(default_factory=list)


@dataclass
class VersionView:
    city: City
    version: PlanVersion
    title: str
    introduction: str
    actions: list[VersionAction]
    versions: list[PlanVersion]  # every version of the plan, newest first


def _text(value, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _date(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _progress(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return max(0, min(100, int(value)))


def _titles(value) -> list[str]:
    if not isinstance(value, list):
        return []
    titles = []
    for item in value:
        title = item.get("title") if isinstance(item, dict) else item
        title = _text(title, TITLE_MAX)
        if title:
            titles.append(title)
    return titles


def _milestones(value) -> list[VersionMilestone]:
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if not isinstance(item, dict) or not _text(item.get("title"), TITLE_MAX):
            continue
        out.append(
            VersionMilestone(
                _text(item.get("title"), TITLE_MAX),
                _date(item.get("due_on")),
                _date(item.get("done_on")),
            )
        )
    return out


def _action(item) -> VersionAction | None:
    if not isinstance(item, dict):
        return None
    title = _text(item.get("title"), TITLE_MAX)
    if not title:
        return None
    kind, status = item.get("kind"), item.get("status")
    return VersionAction(
        title=title,
        kind=kind if kind in ACTION_KINDS else None,
        status=status if status in ACTION_STATUSES else None,
        progress=_progress(item.get("progress")),
        start_on=_date(item.get("start_on")),
        end_on=_date(item.get("end_on")),
        challenges=_titles(item.get("challenges")),
        milestones=_milestones(item.get("milestones")),
    )


def plan_version(city_slug: str, number: int) -> VersionView:
    """Version ``number`` of the city's plan; NotFound if there is none."""
    city, plan = plan_of(city_slug)
    if plan is None:
        raise NotFound(_("This city has no public action plan."))
    version = db.session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan.id, PlanVersion.number == number
        )
    )
    if version is None:
        raise NotFound(_("No such version of the plan."))
    snapshot = version.snapshot if isinstance(version.snapshot, dict) else {}
    actions = snapshot.get("actions")
    actions = actions if isinstance(actions, list) else []
    return VersionView(
        city=city,
        version=version,
        title=_text(snapshot.get("title"), TITLE_MAX) or plan.title,
        introduction=_text(snapshot.get("introduction"), TEXT_MAX),
        actions=[a for a in (_action(item) for item in actions) if a is not None],
        versions=sorted(plan.versions, key=lambda v: -v.number),
    )
