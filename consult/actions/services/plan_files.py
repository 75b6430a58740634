"""What the plan's files hold: the PDF, the workbook and the CSV files.

One loader for every format, so the public files and the organisers' ones
differ in one place: the public's hold the published actions only, the
organisers' every action with whether it is published. No file names an
action's owner (an address for reminders, not for the public), and an
input's author only with their consent, as on the results page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.actions.models import Action, ActionPlan, PlanVersion
from consult.actions.services.dates import city_today
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.extensions import db

KIND_LABELS = {
    "policy": _l("Policy"),
    "pilot": _l("Pilot project"),
    "study": _l("Study"),
    "capacity_building": _l("Capacity building"),
    "investment": _l("Investment"),
}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "delayed": _l("Delayed"),
    "dropped": _l("Dropped"),
}
LATEST_UPDATES = 3


@dataclass
class FileAction:
    """One action as the files show it."""

    action: Action
    challenges: list[Challenge]
    inputs: list[Input]
    overdue: set[int] = field(default_factory=set)  # milestone ids

    @property
    def latest_updates(self):
        return self.action.updates[:LATEST_UPDATES]

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.action.partners.splitlines() if p.strip()]


@dataclass
class ChallengeGroup:
    title: str | None  # None: actions answering no challenge
    actions: list[FileAction]


@dataclass
class PlanFile:
    """The plan of a city as a file holds it."""

    city: City
    plan: ActionPlan
    today: date  # the city's date, for overdue milestones and the cover
    public: bool
    groups: list[ChallengeGroup]
    version: PlanVersion | None  # the latest adopted version

    @property
    def actions(self) -> list[FileAction]:
        return [item for group in self.groups for item in group.actions]


def city_by_slug(slug: str) -> City | None:
    return db.session.scalar(select(City).where(City.slug == slug))


def plan_of(city: City) -> ActionPlan | None:
    return db.session.scalar(select(ActionPlan).where(ActionPlan.city_id == city.id))


def has_published_actions(city: City) -> bool:
    """True once the city's plan has a published action (the public files)."""
    found = db.session.scalar(
        select(func.count(Action.id))
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .where(ActionPlan.city_id == city.id, Action.published_at.is_not(None))
    )
    return bool(found)


def plan_file(city: City, *, public: bool, now: datetime) -> PlanFile | None:
    """The city's plan for a file; None when there is nothing to put in it
    (no plan, or for the public no published action)."""
    plan = plan_of(city)
    if plan is None:
        return None
    query = (
        select(Action)
        .where(Action.plan_id == plan.id)
        .options(
            selectinload(Action.challenges),
            selectinload(Action.inputs).selectinload(Input.event),
            selectinload(Action.milestones),
            selectinload(Action.updates),
        )
        .order_by(Action.position, Action.id)
    )
    if public:
        query = query.where(Action.published_at.is_not(None))
    actions = list(db.session.scalars(query))
    if public and not actions:
        return None
    today = city_today(city, now)
    version = db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    return PlanFile(
        city=city,
        plan=plan,
        today=today,
        public=public,
        groups=_grouped([_file_action(a, today, public) for a in actions]),
        version=version,
    )


def _file_action(action: Action, today: date, public: bool) -> FileAction:
    inputs = list(action.inputs)
    if public:  # what the public sees of a consultation: its published inputs
        inputs = [i for i in inputs if i.state == "published"]
    return FileAction(
        action=action,
        challenges=list(action.challenges),
        inputs=inputs,
        overdue={m.id for m in action.milestones if m.is_overdue(today)},
    )


def _grouped(items: list[FileAction]) -> list[ChallengeGroup]:
    """Each action under the first challenge it answers, the challenges in
    their order (one title across consultations is one group); actions
    answering none last."""
    groups: dict[str, ChallengeGroup] = {}
    order: dict[str, tuple] = {}
    others = ChallengeGroup(None, [])
    for item in items:
        if not item.challenges:
            others.actions.append(item)
            continue
        first = item.challenges[0]
        key = " ".join(first.title.split()).casefold()
        if key not in groups:
            groups[key] = ChallengeGroup(first.title, [])
            order[key] = (first.position, first.title.casefold())
        groups[key].actions.append(item)
    out = [groups[key] for key in sorted(groups, key=order.__getitem__)]
    if others.actions:
        out.append(others)
    return out


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
