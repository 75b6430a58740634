"""Read-side queries: the public page, the moderation list."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from consult.challenges.models import INPUT_KINDS, Challenge, Input
from consult.challenges.services.challenges import event_challenges
from consult.challenges.services.supports import support_query
from consult.extensions import db

PAGE_SIZE = 25
PER_KIND = 5  # inputs of one kind shown per challenge before "show all"


def support_counts(input_ids) -> dict[int, int]:
    """The counted supports of these inputs (``supports.support_totals``)."""
    ids = list(input_ids)
    if not ids:
        return {}
    rows = db.session.execute(support_query(ids))
    return {input_id: count for input_id, count in rows}


@dataclass
class ChallengeSection:
    challenge: Challenge | None  # None: general inputs
    by_kind: dict[str, list[Input]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)  # before truncation

    @property
    def key(self) -> str:
        return str(self.challenge.id) if self.challenge is not None else "general"

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    @property
    def truncated(self) -> bool:
        return any(len(v) < self.totals[k] for k, v in self.by_kind.items())


@dataclass
class PublicPage:
    sections: list[ChallengeSection]
    supports: dict[int, int]
    total: int
    focus: str | None = None  # the one section shown in full, if any


def public_page(
    event, *, sort: str = "support", focus: str | None = None
) -> PublicPage:
    """Each active challenge (then general inputs) with its published inputs by kind.

    Without ``focus`` each kind shows its first PER_KIND inputs; with the key of
    a section ("<challenge id>" or "general") only that section, in full.
    """
    items = list(
        db.session.scalars(
            select(Input)
            .outerjoin(Challenge, Challenge.id == Input.challenge_id)
            .where(
                Input.event_id == event.id,
                Input.state == "published",
                or_(Input.challenge_id.is_(None), Challenge.archived_at.is_(None)),
            )
        )
    )
    supports = support_counts(i.id for i in items)
    if sort == "date":
        items.sort(key=lambda i: (i.published_at or i.created_at, i.id), reverse=True)
    else:
        items.sort(
            key=lambda i: (supports.get(i.id, 0), i.published_at or i.created_at),
            reverse=True,
        )
    sections = [ChallengeSection(c) for c in event_challenges(event)]
    general = ChallengeSection(None)
    by_id = {s.challenge.id: s for s in sections}
    for item in items:
        section = by_id.get(item.challenge_id, general)
        section.by_kind.setdefault(item.kind, []).append(item)
    for section in [*sections, general]:
        section.by_kind = {
            k: section.by_kind[k] for k in INPUT_KINDS if k in section.by_kind
        }
        section.totals = {k: len(v) for k, v in section.by_kind.items()}
    if general.count:
        sections.append(general)
    focused = [s for s in sections if s.key == focus]
    if focused:
        return PublicPage(focused, supports, len(items), focus)
    for section in sections:
        section.by_kind = {k: v[:PER_KIND] for k, v in section.by_kind.items()}
    return PublicPage(sections, supports, len(items))


@dataclass
class InputFilter:
    state: str = ""
    kind: str = ""
    challenge_id: int | None = None
    general: bool = False
    page: int = 1


def moderation_page(event, flt: InputFilter) -> tuple[list[Input], int]:
    """(inputs on this page, total) for the organisers' list, oldest waiting first."""
    query = select(Input).where(Input.event_id == event.id)
    if flt.state:
        query = query.where(Input.state == flt.state)
    if flt.kind:
        query = query.where(Input.kind == flt.kind)
    if flt.general:
        query = query.where(Input.challenge_id.is_(None))
    elif flt.challenge_id:
        query = query.where(Input.challenge_id == flt.challenge_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(flt.page, 1)
    items = db.session.scalars(
        query.order_by((Input.state == "submitted").desc(), Input.created_at, Input.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return list(items), total or 0


def state_counts(event) -> dict[str, int]:
    rows = db.session.execute(
        select(Input.state, func.count(Input.id))
        .where(Input.event_id == event.id)
        .group_by(Input.state)
    )
    return {state: count for state, count in rows}


def merge_targets(event, item: Input) -> list[Input]:
    """Inputs an input could be merged into: the event's others, not merged."""
    return list(
        db.session.scalars(
            select(Input)
            .where(
                Input.event_id == event.id,
                Input.id != item.id,
                Input.state.in_(("submitted", "published")),
            )
            .order_by(Input.challenge_id, Input.id)
        )
    )
