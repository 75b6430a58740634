"""What the public page of a city shows: its consultations, its challenges
across them with the priorities each stakeholder group gave at each one,
its partner cities, its library, its action plan and its Covenant of Mayors
commitments.

Only published events count: a city whose events are all drafts shows its
name and nothing of them. The priorities come from the rule the public plan
applies (``actions.services.public_priorities``: results published, the
small-group threshold), passed in by the route, since the cities area sits
below the areas that compute them (events use cities). Plan actions and
the actions serving a commitment show only when published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from consult.actions.models import Action, ActionPlan
from consult.challenges.models import Challenge, Input
from consult.cities.models import City
from consult.cities.services import partners_of
from consult.covenant.models import PILLARS, CovenantCommitment
from consult.errors import NotFound
from consult.events.models import Event, PartnerCity
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.programmes.models import Programme

LIBRARY_SHOWN = 20
SHOWN = "shown"  # public_priorities.SHOWN: the figures may be shown


@dataclass(frozen=True)
class PartnerName:
    name: str
    country: str
    slug: str
    themes: str = ""  # of their cooperation, from a programme's city pair
    programme: Programme | None = None


@dataclass
class GroupRow:
    """One stakeholder group's priority for a challenge, one cell per event
    (None where the group was not shown on its own at that event)."""

    label: str
    cells: list = field(default_factory=list)  # GroupPriority | None
    combined: bool = False


@dataclass
class Lineage:
    """A challenge across the city's consultations: one appearance per event."""

    key: int
    challenges: list[Challenge]  # in the events' date order
    priorities: list = field(default_factory=list)  # ChallengePriorities | None
    groups: list[GroupRow] = field(default_factory=list)

    @property
    def latest(self) -> Challenge:
        return self.challenges[-1]

    @property
    def events(self) -> list[Event]:
        return [c.event for c in self.challenges]

    @property
    def any_shown(self) -> bool:
        return any(p is not None and p.state == SHOWN for p in self.priorities)

    @property
    def anchor(self) -> str:
        return f"lineage-{self.key}"


@dataclass(frozen=True)
class PlanSummary:
    actions: int  # published
    done: int
    progress: int  # mean percent of the published actions not dropped


@dataclass
class Pillar:
    key: str
    commitments: list[tuple[CovenantCommitment, list[Action]]]


@dataclass
class CityPage:
    city: City
    events: list[Event]  # published, newest first
    lineages: list[Lineage]
    partners: list[PartnerName]
    library: list[LibraryEntry]
    plan: ActionPlan | None  # None unless it has a published action
    plan_summary: PlanSummary | None
    covenant: list[Pillar]


def city_by_slug(city_slug: str) -> City:
    city = db.session.scalar(select(City).where(City.slug == city_slug))
    if city is None:
        raise NotFound(_("No such city."))
    return city


def public_events(city: City) -> list[Event]:
    """The published events the city hosts, newest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.host_city_id == city.id, Event.status == "published")
            .order_by(Event.start_at.desc(), Event.id.desc())
        )
    )


def partner_cities(city: City) -> list[PartnerName]:
    """The city's partners: those paired with it in a programme (with the
    themes of their cooperation), then the other partner cities its published
    events name; each once, pairs first."""
    seen: dict[int, PartnerName] = {}
    for other, themes, programme in partners_of(city):
        if other.id != city.id and other.id not in seen:
            seen[other.id] = PartnerName(
                other.name, other.country, other.slug, themes, programme
            )
    named = db.session.scalars(
        select(City)
        .join(PartnerCity, PartnerCity.city_id == City.id)
        .join(Event, Event.id == PartnerCity.event_id)
        .where(Event.host_city_id == city.id, Event.status == "published")
        .where(City.id != city.id)
        .distinct()
        .order_by(City.name, City.id)
    )
    for other in named:
        seen.setdefault(other.id, PartnerName(other.name, other.country, other.slug))
    return list(seen.values())


def _challenges(events: list[Event]) -> list[Challenge]:
    if not events:
        return []
    rows = db.session.scalars(
        select(Challenge)
        .where(
            Challenge.event_id.in_([e.id for e in events]),
            Challenge.archived_at.is_(None),
        )
        .options(selectinload(Challenge.event))
    )
    return sorted(rows, key=lambda c: (c.event.start_at, c.event.id, c.position, c.id))


def _group_rows(priorities: list) -> list[GroupRow]:
    """Every group shown at any of the events, one cell per event."""
    rows: dict[str, GroupRow] = {}
    for column, p in enumerate(priorities):
        if p is None or p.state != SHOWN:
            continue
        for group in p.groups:
            row = rows.setdefault(
                group.label,
                GroupRow(group.label, [None] * len(priorities), group.combined),
            )
            row.cells[column] = group
    # Groups in their own name first, then the combined small groups.
    return sorted(rows.values(), key=lambda r: r.combined)


def lineages_of(
    challenges: list[Challenge], priorities_of: Callable[[list[Challenge]], dict]
) -> list[Lineage]:
    """The challenges grouped by lineage (in the order each first appeared),
    with the priorities each group gave at each of its events side by side."""
    found: dict[int, Lineage] = {}
    for challenge in challenges:
        lineage = found.setdefault(
            challenge.lineage_key, Lineage(challenge.lineage_key, [])
        )
        lineage.challenges.append(challenge)
    figures = priorities_of(challenges)
    for lineage in found.values():
        lineage.priorities = [figures.get(c.id) for c in lineage.challenges]
        lineage.groups = _group_rows(lineage.priorities)
    return list(found.values())


def library_of(city: City) -> list[LibraryEntry]:
    """Public library entries of the city's events or naming the city, newest
    first (the library's own guard: no draft event, an input's copy only
    while the input is a published best practice)."""
    statement = (
        select(LibraryEntry)
        .join(Event, Event.id == LibraryEntry.event_id)
        .outerjoin(Input, Input.id == LibraryEntry.input_id)
        .where(
            Event.status != "draft",
            or_(
                Event.host_city_id == city.id,
                func.lower(LibraryEntry.city) == city.name.strip().lower(),
            ),
            or_(
                LibraryEntry.input_id.is_(None),
                and_(Input.state == "published", Input.kind == "best_practice"),
            ),
        )
        .order_by(LibraryEntry.published_at.desc(), LibraryEntry.id.desc())
        .limit(LIBRARY_SHOWN)
    )
    return list(db.session.scalars(statement))


def plan_summary(city: City) -> tuple[ActionPlan | None, PlanSummary | None]:
    """The city's plan and a summary of its published actions; (None, None)
    while no action is published (the public plan page has nothing yet)."""
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.city_id == city.id))
    if plan is None:
        return None, None
    actions = list(
        db.session.scalars(
            select(Action).where(
                Action.plan_id == plan.id, Action.published_at.is_not(None)
            )
        )
    )
    if not actions:
        return None, None
    going = [a.progress for a in actions if a.status != "dropped"]
    mean = Decimal(sum(going)) / len(going) if going else Decimal(0)
    return plan, PlanSummary(
        actions=len(actions),
        done=sum(1 for a in actions if a.status == "done"),
        progress=int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
    )


def covenant_of(city: City) -> list[Pillar]:
    """The city's commitments per pillar (pillars without one left out), each
    with the published actions serving it."""
    rows = db.session.scalars(
        select(CovenantCommitment)
        .where(CovenantCommitment.city_id == city.id)
        .order_by(CovenantCommitment.id)
        .options(selectinload(CovenantCommitment.actions))
    ).all()
    pillars = []
    for key in PILLARS:
        mine = [
            (c, [a for a in c.actions if a.published_at is not None])
            for c in rows
            if c.pillar == key
        ]
        if mine:
            pillars.append(Pillar(key, mine))
    return pillars


def city_page(
    city_slug: str, *, priorities_of: Callable[[list[Challenge]], dict]
) -> CityPage:
    """Everything the city's public page shows; NotFound for an unknown slug.
    ``priorities_of``: challenge ids -> their public priorities."""
    city = city_by_slug(city_slug)
    events = public_events(city)
    plan, summary = plan_summary(city)
    return CityPage(
        city=city,
        events=events,
        lineages=lineages_of(_challenges(events), priorities_of),
        partners=partner_cities(city),
        library=library_of(city),
        plan=plan,
        plan_summary=summary,
        covenant=covenant_of(city),
    )
