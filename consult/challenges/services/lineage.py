"""The same challenge across events: chains of challenges (``lineage_id``).

A clone's challenges join their source's chain; an organiser may also say that
a challenge is the same as one of an earlier event of the same host city, so a
city's page can set one challenge's priorities at each event side by side. A
chain holds at most one challenge per event; its first challenge has
``lineage_id`` None and the others point at it (``Challenge.lineage_key``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.challenges.models import Challenge
from consult.errors import ValidationFailed
from consult.events.access import can_manage, require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.numbers import parse_id

FIELD = "same_as"
# The edit form's answer for a challenge linked only through events the
# organiser does not manage: the link stays as it is.
KEEP = "keep"


def lineage_members(challenge: Challenge) -> list[Challenge]:
    """Every challenge of the chain, the earliest event first."""
    key = challenge.lineage_key
    return list(
        db.session.scalars(
            select(Challenge)
            .join(Event, Event.id == Challenge.event_id)
            .where(or_(Challenge.id == key, Challenge.lineage_id == key))
            .order_by(Event.start_at, Challenge.id)
        )
    )


def link_candidates(challenge: Challenge, actor) -> list[Challenge]:
    """The challenges ``challenge`` may be said to be the same as: those of
    earlier events of the same host city that ``actor`` may manage, the
    latest event first."""
    event = challenge.event
    if event.host_city_id is None:
        return []
    events = db.session.scalars(
        select(Event)
        .where(
            Event.host_city_id == event.host_city_id,
            Event.id != event.id,
            Event.start_at < event.start_at,
        )
        .order_by(Event.start_at.desc(), Event.id)
    )
    managed = [other.id for other in events if can_manage(actor, other)]
    if not managed:
        return []
    found = db.session.scalars(
        select(Challenge).where(
            Challenge.event_id.in_(managed), Challenge.archived_at.is_(None)
        )
    )
    order = {event_id: index for index, event_id in enumerate(managed)}
    return sorted(found, key=lambda c: (order[c.event_id], c.position, c.id))


def linked_candidate(challenge: Challenge, candidates: list[Challenge]) -> int | None:
    """The candidate of the same chain as ``challenge`` (the latest), if any."""
    if challenge.lineage_id is None and not _followers(challenge):
        return None
    for candidate in candidates:
        if candidate.lineage_key == challenge.lineage_key:
            return candidate.id
    return None


def link_challenge(
    challenge: Challenge, actor, same_as: int | str | None, *, now: datetime
) -> None:
    """Make ``challenge`` the same as challenge ``same_as`` of an earlier event
    of the same host city (None: the same as none; KEEP: unchanged); flushes."""
    require_manager(actor, challenge.event)
    if same_as == KEEP:
        return
    if same_as is None:
        if challenge.lineage_id is not None:
            challenge.lineage_id = None
            challenge.updated_at = now
            db.session.flush()
        return
    target = _checked_target(challenge, actor, same_as)
    if target.lineage_key == challenge.lineage_key:
        return
    # A first challenge brings the ones that follow it along.
    moving = [challenge, *_followers(challenge)]
    moving_ids = {c.id for c in moving}
    staying = [c for c in lineage_members(target) if c.id not in moving_ids]
    taken = {c.event_id: c for c in staying}
    for item in moving:
        if item.event_id in taken:
            raise ValidationFailed(
                _(
                    "“%(other)s” of %(event)s is already the same challenge as "
                    "that one: a challenge appears once per event.",
                    other=taken[item.event_id].title,
                    event=item.event.title,
                ),
                FIELD,
            )
    for item in moving:
        item.lineage_id = target.lineage_key
    challenge.updated_at = now
    db.session.flush()


def check_link(challenge: Challenge, actor, same_as: int | str | None) -> None:
    """The refusal ``link_challenge`` would give about its target, without
    writing anything."""
    if same_as is not None and same_as != KEEP:
        _checked_target(challenge, actor, same_as)


def _checked_target(challenge: Challenge, actor, same_as) -> Challenge:
    number = parse_id(same_as)
    target = None if number is None else db.session.get(Challenge, number)
    if target is None or not can_manage(actor, target.event):
        raise ValidationFailed(
            _("Choose one of the listed challenges of your earlier events."), FIELD
        )
    event, theirs = challenge.event, target.event
    if event.host_city_id is None or theirs.host_city_id != event.host_city_id:
        raise ValidationFailed(
            _("That challenge belongs to an event of another host city."), FIELD
        )
    if theirs.id == event.id or not theirs.start_at < event.start_at:
        raise ValidationFailed(
            _("That challenge's event does not come before this one."), FIELD
        )
    return target


def _followers(challenge: Challenge) -> list[Challenge]:
    """The challenges whose chain starts at ``challenge``."""
    if challenge.id is None:
        return []
    return list(
        db.session.scalars(
            select(Challenge).where(Challenge.lineage_id == challenge.id)
        )
    )


def hand_on_lineage(challenge: Challenge) -> None:
    """Before ``challenge`` is deleted: the chain it starts gets a new first
    challenge (the earliest event's), so the others stay together."""
    followers = [c for c in lineage_members(challenge) if c.id != challenge.id]
    if challenge.lineage_id is not None or not followers:
        return
    first, *others = followers
    first.lineage_id = None
    for item in others:
        item.lineage_id = first.id
    db.session.flush()
