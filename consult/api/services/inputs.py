"""An event's challenges and inputs through the API.

The event's organisers (and admins) read every input in every state, as on
their moderation list. Anyone else reads what the public challenges page
shows: published inputs of active challenges, the author named only with
their consent, and the author's group only as the page's group filter tells
it (``public_page.published_inputs``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.api.services.queries import _page, decode_cursor, encode_cursor
from consult.challenges.models import Challenge, Input
from consult.challenges.services.challenges import event_challenges
from consult.challenges.services.moderation import event_input
from consult.challenges.services.public_page import EXPERTS, published_inputs
from consult.challenges.services.queries import (
    InputFilter,
    filter_conditions,
    support_counts,
)
from consult.errors import NotFound, ValidationFailed
from consult.events.access import can_manage
from consult.extensions import db
from consult.registration.models import Registration

GENERAL = "general"
# What an input's view reads: loaded with the page, not one query per input.
LOADS = (
    selectinload(Input.challenge),
    selectinload(Input.expert),
    selectinload(Input.registration).selectinload(Registration.stakeholder_type),
)


@dataclass
class InputsRead:
    """Inputs as one reader may see them, each with its author's group key:
    a stakeholder type id (as text), ``public_page.EXPERTS`` or ``OTHER``."""

    items: list[tuple[Input, str]]
    managed: bool
    supports: dict[int, int]
    next_cursor: str | None = None


def reader_challenges(event, actor) -> list[Challenge]:
    """The event's challenges: archived ones too for its organisers."""
    return event_challenges(event, include_archived=can_manage(actor, event))


def _group(item: Input) -> str:
    if item.expert_id is not None:
        return EXPERTS
    return str(item.registration.stakeholder_type_id)


def _load(ids: list[int]) -> None:
    """Load the page's inputs' authors and challenges in a few statements."""
    if ids:
        db.session.scalars(
            select(Input)
            .where(Input.id.in_(ids))
            .options(*LOADS)
            .execution_options(populate_existing=True)
        ).all()


def _read(items: list[tuple[Input, str]], managed: bool, cursor=None) -> InputsRead:
    supports = support_counts(item.id for item, _key in items)
    return InputsRead(items, managed, supports, cursor)


def _filter(event, managed: bool, state, kind, challenge) -> InputFilter:
    """The organisers' filter; a challenge the reader cannot see is refused."""
    flt = InputFilter(state=state or "", kind=kind or "")
    if challenge == GENERAL:
        flt.general = True
    elif challenge is not None:
        known = {c.id for c in event_challenges(event, include_archived=managed)}
        if int(challenge) not in known:
            raise ValidationFailed(_("No such challenge."), "challenge")
        flt.challenge_id = int(challenge)
    return flt


def _shown(item: Input, flt: InputFilter) -> bool:
    """Whether a published input passes the filter (the public reader's list)."""
    if flt.general:
        in_challenge = item.challenge_id is None
    else:
        in_challenge = flt.challenge_id in (None, item.challenge_id)
    return (
        flt.state in ("", item.state) and flt.kind in ("", item.kind) and in_challenge
    )


def inputs_page(
    event,
    actor,
    *,
    state: str | None = None,
    kind: str | None = None,
    challenge: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> InputsRead:
    """The inputs the actor may read, filtered, by id, a page of ``limit``."""
    managed = can_manage(actor, event)
    flt = _filter(event, managed, state, kind, challenge)
    if managed:
        query = select(Input).where(*filter_conditions(event, flt)).options(*LOADS)
        page = _page(query, cursor, limit, Input.id)
        return _read([(i, _group(i)) for i in page.items], True, page.next_cursor)
    after = decode_cursor(cursor)
    shown = [
        (item, key)
        for item, key in published_inputs(event)
        if item.id > after and _shown(item, flt)
    ]
    more = len(shown) > limit
    shown = shown[:limit]
    _load([item.id for item, _key in shown])
    return _read(shown, False, encode_cursor(shown[-1][0].id) if more else None)


def reader_input(event, actor, input_id: int) -> InputsRead:
    """One input the actor may read; NotFound otherwise."""
    if can_manage(actor, event):
        item = event_input(event, input_id)
        return _read([(item, _group(item))], True)
    for item, key in published_inputs(event):
        if item.id == input_id:
            return _read([(item, key)], False)
    raise NotFound(_("No such input."))
