"""Read-side queries: support counts, the moderation list (the public page:
``public_page``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from consult.challenges.models import Input
from consult.challenges.services.supports import support_query
from consult.extensions import db

PAGE_SIZE = 25


def support_counts(input_ids) -> dict[int, int]:
    """The counted supports of these inputs (``supports.support_totals``)."""
    ids = list(input_ids)
    if not ids:
        return {}
    rows = db.session.execute(support_query(ids))
    return {input_id: count for input_id, count in rows}


@dataclass
class InputFilter:
    state: str = ""
    kind: str = ""
    challenge_id: int | None = None
    general: bool = False
    page: int = 1


def filter_conditions(event, flt: InputFilter) -> list:
    """WHERE clauses of the organisers' filters (the moderation list, the API)."""
    conditions = [Input.event_id == event.id]
    if flt.state:
        conditions.append(Input.state == flt.state)
    if flt.kind:
        conditions.append(Input.kind == flt.kind)
    if flt.general:
        conditions.append(Input.challenge_id.is_(None))
    elif flt.challenge_id:
        conditions.append(Input.challenge_id == flt.challenge_id)
    return conditions


def moderation_page(event, flt: InputFilter) -> tuple[list[Input], int]:
    """(inputs on this page, total) for the organisers' list, oldest waiting first."""
    query = select(Input).where(*filter_conditions(event, flt))
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
