"""Organisers' challenge list: add, edit, reorder, archive, remove; the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.categories import CATEGORIES
from consult.challenges.models import (
    DESCRIPTION_MAX,
    PRIORITY_METHODS,
    TITLE_MAX,
    Challenge,
    ChallengeSettings,
    Input,
    Priority,
)
from consult.challenges.services.common import settings_for, sync_library
from consult.challenges.services.lineage import hand_on_lineage, link_challenge
from consult.errors import NotFound, ValidationFailed
from consult.extensions import db
from consult.text import clean_text
from consult.timeutil import to_utc


@dataclass
class ChallengeData:
    title: str
    description: str = ""
    category: str = "other"
    city: str = ""


@dataclass
class WindowData:
    opens_at: datetime | None
    closes_at: datetime | None
    priority_method: str = "points"


def event_challenges(event, *, include_archived: bool = False) -> list[Challenge]:
    """The event's challenges in their order (active ones unless asked)."""
    query = select(Challenge).where(Challenge.event_id == event.id)
    if not include_archived:
        query = query.where(Challenge.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Challenge.position, Challenge.id)))


def challenge_of(event, challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.event_id != event.id:
        raise NotFound(_("No such challenge."))
    return challenge


def _clean(data: ChallengeData) -> ChallengeData:
    title = clean_text(data.title, "title", max_length=TITLE_MAX, required=True)
    description = clean_text(
        data.description, "description", max_length=DESCRIPTION_MAX
    )
    if data.category not in CATEGORIES:
        raise ValidationFailed(_("Choose a category from the list."), "category")
    city = clean_text(data.city, "city", max_length=120)
    return ChallengeData(title, description, data.category, city)


def add_challenge(event, actor, data: ChallengeData, *, now: datetime) -> Challenge:
    """Append a challenge at the end of the event's list."""
    data = _clean(data)
    last = db.session.scalar(
        select(func.max(Challenge.position)).where(Challenge.event_id == event.id)
    )
    challenge = Challenge(
        event_id=event.id,
        position=0 if last is None else last + 1,
        title=data.title,
        description=data.description,
        category=data.category,
        city=data.city,
        created_at=now,
        updated_at=now,
    )
    db.session.add(challenge)
    db.session.flush()
    return challenge


def update_challenge(challenge, actor, data: ChallengeData, *, now: datetime) -> None:
    """Change a challenge's text, category or city."""
    data = _clean(data)
    challenge.title = data.title
    challenge.description = data.description
    challenge.category = data.category
    challenge.city = data.city
    challenge.updated_at = now
    db.session.flush()
    # Library entries of best practices without their own category follow it.
    for item in db.session.scalars(
        select(Input).where(Input.challenge_id == challenge.id)
    ):
        sync_library(item)


def save_challenge(
    challenge, actor, data: ChallengeData, same_as, *, now: datetime
) -> None:
    """The edit form: the challenge's texts, and which earlier challenge it
    is the same as (lineage.link_challenge)."""
    update_challenge(challenge, actor, data, now=now)
    link_challenge(challenge, actor, same_as, now=now)


def move_challenge(challenge, actor, direction: int, *, now: datetime) -> None:
    """Swap a challenge with its neighbour above (-1) or below (+1)."""
    if direction not in (-1, 1):
        raise ValidationFailed(_("Unknown direction."))
    siblings = event_challenges(challenge.event, include_archived=True)
    index = siblings.index(challenge)
    target = index + direction
    if target < 0 or target >= len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, item in enumerate(siblings):
        item.position = position
    challenge.updated_at = now
    db.session.flush()


def _has_contributions(challenge) -> bool:
    return (
        db.session.scalar(select(Input.id).where(Input.challenge_id == challenge.id))
        is not None
        or db.session.scalar(
            select(Priority.id).where(Priority.challenge_id == challenge.id)
        )
        is not None
    )


def remove_challenge(challenge, actor, *, now: datetime) -> None:
    """Delete a challenge nobody has contributed to; others can only be archived."""
    if _has_contributions(challenge):
        raise ValidationFailed(
            _(
                "This challenge already has inputs or priorities: archive it "
                "instead of removing it."
            )
        )
    hand_on_lineage(challenge)
    db.session.delete(challenge)
    db.session.flush()


def set_archived(challenge, actor, archived: bool, *, now: datetime) -> None:
    """Archive a challenge (hidden from pages and prioritisation) or restore it."""
    challenge.archived_at = now if archived else None
    challenge.updated_at = now
    db.session.flush()
    for item in db.session.scalars(
        select(Input).where(Input.challenge_id == challenge.id)
    ):
        sync_library(item)


def update_window(event, actor, data: WindowData, *, now: datetime):
    """Set the submission window and the prioritisation method of an event."""
    zone = event.timezone
    opens_at = to_utc(data.opens_at, zone, "opens_at")
    closes_at = to_utc(data.closes_at, zone, "closes_at")
    if opens_at is None and closes_at is not None:
        raise ValidationFailed(_("Set when the window opens too."), "opens_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed(_("The window must close after it opens."), "closes_at")
    if data.priority_method not in PRIORITY_METHODS:
        raise ValidationFailed(_("Choose a method from the list."), "priority_method")
    settings = settings_for(event)
    if settings.priority_method != data.priority_method and (
        db.session.scalar(select(Priority.id).where(Priority.event_id == event.id))
        is not None
    ):
        raise ValidationFailed(
            _(
                "Registrants have already prioritised with the current method; "
                "it can no longer change."
            ),
            "priority_method",
        )
    if settings.id is None:
        db.session.add(settings)
    settings.opens_at = opens_at
    settings.closes_at = closes_at
    settings.priority_method = data.priority_method
    settings.updated_at = now
    db.session.flush()
    return settings


__all__ = [
    "ChallengeData",
    "ChallengeSettings",
    "WindowData",
    "add_challenge",
    "challenge_of",
    "event_challenges",
    "move_challenge",
    "remove_challenge",
    "save_challenge",
    "set_archived",
    "update_challenge",
    "update_window",
]
