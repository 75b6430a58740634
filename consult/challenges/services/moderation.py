"""Organisers moderate inputs: publish, hide, merge, tag, answer, select."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _

from consult.challenges.models import BODY_MAX, Input
from consult.challenges.services.common import sync_library
from consult.errors import NotFound, Problems, ValidationFailed
from consult.extensions import db
from consult.text import clean_text

MAX_TAGS = 10
TAG_MAX = 40
_TAG_SPLIT = re.compile(r"[,\n]")


def event_input(event, input_id: int) -> Input:
    """An input of this event (any state), for its organisers."""
    item = db.session.get(Input, input_id)
    if item is None or item.event_id != event.id:
        raise NotFound(_("No such input."))
    return item


def _moderated(item: Input, actor, now: datetime) -> None:
    item.moderated_by_id = getattr(actor, "id", None)
    item.updated_at = now


def publish_input(item: Input, actor, *, now: datetime) -> None:
    """Make an input public (also undoes a hide or a merge)."""
    if item.state == "published":
        return
    item.state = "published"
    item.hidden_reason = ""
    item.merged_into_id = None
    item.published_at = item.published_at or now
    _moderated(item, actor, now)
    sync_library(item)


def hide_input(item: Input, actor, reason: str, *, now: datetime) -> None:
    """Hide an input from everyone but its author and organisers, with a reason."""
    reason = clean_text(reason, "reason", max_length=1000, required=True)
    item.state = "hidden"
    item.hidden_reason = reason
    item.merged_into_id = None
    _moderated(item, actor, now)
    sync_library(item)


def merge_input(item: Input, actor, target_id: int | None, *, now: datetime) -> None:
    """Mark an input as a duplicate of another input of the same event."""
    if not target_id:
        raise ValidationFailed(_("Choose the input to merge into."), "target_id")
    target = db.session.get(Input, target_id)
    if target is None or target.event_id != item.event_id or target.id == item.id:
        raise ValidationFailed(_("Choose another input of this event."), "target_id")
    if target.state == "merged":
        raise ValidationFailed(
            _("That input is itself merged; choose the one it was merged into."),
            "target_id",
        )
    if target.state == "hidden":
        raise ValidationFailed(_("That input is hidden; choose another."), "target_id")
    item.state = "merged"
    item.merged_into_id = target.id
    item.hidden_reason = ""
    _moderated(item, actor, now)
    # Inputs already merged into this one follow it to the new target.
    for child in db.session.scalars(
        db.select(Input).where(Input.merged_into_id == item.id)
    ):
        child.merged_into_id = target.id
    sync_library(item)


def parse_tags(text: str) -> list[str]:
    """Comma- or line-separated tags, trimmed, lower-cased, without duplicates."""
    tags: list[str] = []
    for raw in _TAG_SPLIT.split(text or ""):
        tag = " ".join(raw.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def checked_moderation(*, tags: str, answer: str) -> tuple[list[str], str]:
    """The tags and the answer as stored, or ValidationFailed with every
    problem of both; nothing written."""
    problems = Problems()
    tag_list = parse_tags(tags)
    if len(tag_list) > MAX_TAGS:
        problems.add(_("At most %(n)d tags, please.", n=MAX_TAGS), "tags")
    else:
        for tag in tag_list:
            if problems.take(clean_text, tag, "tags", max_length=TAG_MAX) is None:
                break  # one message for the field, however many tags are long
    answer = problems.take(clean_text, answer, "answer", max_length=BODY_MAX)
    problems.raise_any()
    return tag_list, answer


def update_moderation(
    item: Input,
    actor,
    *,
    tags: str,
    answer: str,
    selected_for_plan: bool,
    now: datetime,
) -> None:
    """Tags, the public answer and the action-plan mark of an input."""
    tag_list, answer = checked_moderation(tags=tags, answer=answer)
    if answer != item.answer:
        item.answered_at = now if answer else None
    item.answer = answer
    item.tags = tag_list
    item.selected_for_plan = bool(selected_for_plan)
    _moderated(item, actor, now)
    sync_library(item)
