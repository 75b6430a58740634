"""The public tracking page of a city's action plan.

Only published actions show; a city whose plan has none has no page (404).
Actions are grouped by the challenges they answer: each action is shown in
full once, under the first of its challenges in the page's order, and named
with a link in the section of each other challenge it answers. So every
challenge's section lists everything done for it, while the page has one
card, one timeline and one anchor per action (a screen reader does not hear
the same timeline twice, and the summary counts each action once). Actions
answering no challenge are under "Other actions".

Every challenge of the city's (non-draft) consultations has a section, with
or without actions: a challenge people ranked first that no action answers
is exactly what the page must let anyone see.

Nothing personal is shown: not the owner's name or email, not who posted an
update, and an input's author only with their consent (``public_author_name``).
Inputs show only while published on their event's public challenges page,
which the page links to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_currency, format_decimal
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from consult.actions.models import ACTION_STATUSES, Action, ActionPlan, PlanVersion
from consult.actions.services.dates import city_today
from consult.actions.services.public_priorities import (
    ChallengePriorities,
    challenge_priorities,
)
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.errors import NotFound
from consult.events.models import Event
from consult.extensions import db


@dataclass(frozen=True)
class InputLink:
    """An input the action builds on, as its event's public page shows it."""

    item: Input
    event: Event
    challenge_key: str  # the challenges page's section: a challenge id or "general"
    author: str | None  # only with the author's consent
    organisation: str | None


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    milestone: object | None = None  # Milestone
    update: object | None = None  # ActionUpdate
    overdue: bool = False


@dataclass
class PublicAction:
    action: Action
    challenges: list[Challenge]  # those shown (of non-draft consultations)
    inputs: list[InputLink]
    timeline: list[TimelineEntry]
    budget: str  # "" when none was given

    @property
    def anchor(self) -> str:
        return f"action-{self.action.id}"

    @property
    def overdue(self) -> int:
        return sum(1 for entry in self.timeline if entry.overdue)


@dataclass
class ChallengeSection:
    challenge: Challenge | None  # None: "Other actions"
    actions: list[PublicAction] = field(default_factory=list)  # shown here in full
    also: list[PublicAction] = field(default_factory=list)  # shown under another
    priorities: ChallengePriorities | None = None

    @property
    def anchor(self) -> str:
        return f"challenge-{self.challenge.id}" if self.challenge else "other-actions"

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.also)


@dataclass(frozen=True)
class PlanSummary:
    actions: int
    by_status: list[tuple[str, int]]  # every status, in their order
    progress: int  # mean percent of the actions not dropped
    milestones: int
    milestones_done: int
    overdue: int


@dataclass
class PublicPlan:
    city: City
    plan: ActionPlan
    today: date  # on the city's calendar
    sections: list[ChallengeSection]
    summary: PlanSummary
    versions: list[PlanVersion]  # newest first


def plan_of(city_slug: str) -> tuple[City, ActionPlan | None]:
    """The city of the slug (NotFound if unknown) and its plan, if any."""
    city = db.session.scalar(select(City).where(City.slug == city_slug))
    if city is None:
        raise NotFound(_("No such city."))
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.city_id == city.id))
    return city, plan


def published_actions(plan: ActionPlan) -> list[Action]:
    """The plan's published actions in the plan's order, with what they show."""
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.plan_id == plan.id, Action.published_at.is_not(None))
            .order_by(Action.position, Action.id)
            .options(
                selectinload(Action.challenges).selectinload(Challenge.event),
                selectinload(Action.inputs).selectinload(Input.event),
                selectinload(Action.milestones),
                selectinload(Action.updates),
            )
        )
    )


def has_published_actions(plan_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Action.plan_id == plan_id, Action.published_at.is_not(None)
                )
            )
        )
    )


def public_plan_and_city(city_slug: str) -> tuple[City, ActionPlan]:
    """The city and its plan, NotFound unless the plan has a published action."""
    city, plan = plan_of(city_slug)
    if plan is None or not has_published_actions(plan.id):
        raise NotFound(_("This city has no public action plan."))
    return city, plan


def city_with_public_plan(event: Event) -> City | None:
    """The event's host city when its plan has a published action, else None
    (the event's page and its results page link to that plan)."""
    if event.host_city_id is None:
        return None
    plan_id = db.session.scalar(
        select(ActionPlan.id).where(ActionPlan.city_id == event.host_city_id)
    )
    if plan_id is None or not has_published_actions(plan_id):
        return None
    return db.session.get(City, event.host_city_id)


def budget_text(action: Action) -> str:
    """'MYR 250,000.00' in the reader's language; '' when no budget is given."""
    if action.budget_amount is None:
        return ""
    code = (action.budget_currency or "").strip().upper()
    if len(code) == 3 and code.isalpha():
        return format_currency(action.budget_amount, code)
    return format_decimal(action.budget_amount)


def _input_link(item: Input) -> InputLink | None:
    if item.state != "published" or item.event is None or item.event.is_draft:
        return None
    key = str(item.challenge_id) if item.challenge_id is not None else "general"
    return InputLink(
        item=item,
        event=item.event,
        challenge_key=key,
        author=item.public_author_name,
        organisation=item.public_author_organisation,
    )


def timeline_of(action: Action, today: date) -> list[TimelineEntry]:
    """Milestones (by due date) and updates (by date), oldest first; a
    milestone is overdue when not done by its due date at the city's today."""
    entries = [
        TimelineEntry(m.due_on, milestone=m, overdue=m.is_overdue(today))
        for m in action.milestones
    ]
    entries += [TimelineEntry(u.posted_on, update=u) for u in action.updates]
    # Milestones before updates of the same day; then in the order entered.
    return sorted(
        entries,
        key=lambda e: (e.on, e.update is not None, (e.milestone or e.update).id),
    )


def _public_action(action: Action, today: date) -> PublicAction:
    links = [_input_link(item) for item in action.inputs]
    return PublicAction(
        action=action,
        challenges=[
            c for c in action.challenges if c.event is not None and not c.event.is_draft
        ],
        inputs=[link for link in links if link is not None],
        timeline=timeline_of(action, today),
        budget=budget_text(action),
    )


def _challenge_order(challenge: Challenge) -> tuple:
    event = challenge.event
    return (event.start_at, event.id, challenge.position, challenge.id)


def _city_challenges(city: City, answered: list[Challenge]) -> list[Challenge]:
    """The active challenges of the city's non-draft consultations, and any
    other (archived) challenge an action answers, in the page's order."""
    rows = db.session.scalars(
        select(Challenge)
        .join(Event, Event.id == Challenge.event_id)
        .where(
            Event.host_city_id == city.id,
            Event.status != "draft",
            Challenge.archived_at.is_(None),
        )
        .options(selectinload(Challenge.event))
    )
    found = {c.id: c for c in rows}
    for challenge in answered:
        found.setdefault(challenge.id, challenge)
    return sorted(found.values(), key=_challenge_order)


def _sections(city: City, actions: list[PublicAction]) -> list[ChallengeSection]:
    answered = [c for item in actions for c in item.challenges]
    challenges = _city_challenges(city, answered)
    sections = {c.id: ChallengeSection(c) for c in challenges}
    position = {c.id: i for i, c in enumerate(challenges)}
    other = ChallengeSection(None)
    for item in actions:
        if not item.challenges:
            other.actions.append(item)
            continue
        mine = sorted(item.challenges, key=lambda c: position[c.id])
        sections[mine[0].id].actions.append(item)
        for challenge in mine[1:]:
            sections[challenge.id].also.append(item)
    priorities = challenge_priorities(challenges)
    for section in sections.values():
        section.priorities = priorities.get(section.challenge.id)
    out = [sections[c.id] for c in challenges]
    if other.actions:
        out.append(other)
    return out


def _summary(actions: list[PublicAction]) -> PlanSummary:
    counts = {status: 0 for status in ACTION_STATUSES}
    for item in actions:
        counts[item.action.status] = counts.get(item.action.status, 0) + 1
    going = [
        item.action.progress for item in actions if item.action.status != "dropped"
    ]
    mean = Decimal(sum(going)) / len(going) if going else Decimal(0)
    milestones = [m for item in actions for m in item.action.milestones]
    return PlanSummary(
        actions=len(actions),
        by_status=list(counts.items()),
        progress=int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        milestones=len(milestones),
        milestones_done=sum(1 for m in milestones if m.done_on is not None),
        overdue=sum(item.overdue for item in actions),
    )


def public_plan(city_slug: str, *, now: datetime) -> PublicPlan:
    """Everything the public page of the city's plan shows; NotFound when the
    city is unknown or its plan has no published action."""
    city, plan = public_plan_and_city(city_slug)
    today = city_today(city, now)
    actions = [_public_action(a, today) for a in published_actions(plan)]
    return PublicPlan(
        city=city,
        plan=plan,
        today=today,
        sections=_sections(city, actions),
        summary=_summary(actions),
        versions=sorted(plan.versions, key=lambda v: -v.number),
    )
