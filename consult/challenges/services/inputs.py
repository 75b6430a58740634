"""Inputs: authors submit and edit them while the window is open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from consult.categories import CATEGORIES
from consult.challenges.models import (
    BODY_MAX,
    INPUT_KINDS,
    LONG_MAX,
    SHORT_MAX,
    TITLE_MAX,
    Challenge,
    Input,
)
from consult.challenges.services.common import Author, sync_library, window_open
from consult.errors import NotFound, PermissionDenied, Problems, ValidationFailed
from consult.extensions import db
from consult.facts import announce
from consult.registration.countries import is_country
from consult.text import clean_text

# Fields each kind keeps; the others are emptied so a kind change leaves no residue.
# Called with an input whose author withdrew their consent to be named, so that
# what other areas stored with the name drops it (the published results'
# versions, consult.dashboard.services.publication). Registered at import.
_UNNAMED_HOOKS: list[Callable[[Input], object]] = []


def on_unnamed(hook: Callable[[Input], object]) -> None:
    """Call ``hook(item)`` when an author withdraws their consent to be named."""
    if hook not in _UNNAMED_HOOKS:
        _UNNAMED_HOOKS.append(hook)


KIND_FIELDS = {
    "problem_insight": (),
    "best_practice": ("city", "country", "organisation", "period", "results", "links"),
    "solution_idea": ("links",),
    "pilot_proposal": ("lead", "partners", "budget_range", "timeline"),
    "expert_question": (),
}
BUDGET_RANGES = ("", "under_10k", "10k_50k", "50k_250k", "250k_1m", "over_1m")
MAX_LINKS = 10
FIELD_LIMITS = {
    "city": 120,
    "country": 2,
    "organisation": SHORT_MAX,
    "period": 120,
    "results": LONG_MAX,
    "links": LONG_MAX,
    "lead": SHORT_MAX,
    "partners": LONG_MAX,
    "budget_range": 40,
    "timeline": SHORT_MAX,
}


@dataclass
class InputData:
    kind: str
    title: str
    body: str = ""
    challenge_id: int | None = None
    category: str | None = None
    city: str = ""
    country: str = ""
    organisation: str = ""
    period: str = ""
    results: str = ""
    links: str = ""
    lead: str = ""
    partners: str = ""
    budget_range: str = ""
    timeline: str = ""
    consent_named: bool = False

    @classmethod
    def from_input(cls, item: Input) -> InputData:
        return cls(**{f.name: getattr(item, f.name) for f in fields(cls)})


def _clean_links(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationFailed(_("At most %(n)d links, please.", n=MAX_LINKS), "links")
    for line in lines:
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in line:
            raise ValidationFailed(
                _("%(link)s is not a web address (https://…).", link=line[:80]),
                "links",
            )
    return "\n".join(lines)


def check_input(event, data: InputData, *, kept_challenge=None) -> None:
    """Every problem with an input's fields, raised together; nothing written."""
    _clean(event, None, data, kept_challenge)


def _clean(event, author: Author | None, data: InputData, kept_challenge=None) -> dict:
    """The input's column values, or ValidationFailed with every problem."""
    problems = Problems()
    if data.kind not in INPUT_KINDS:
        problems.add(_("Choose a kind of input."), "kind")
    values = {
        "kind": data.kind,
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "body": problems.take(
            clean_text, data.body, "body", max_length=BODY_MAX, required=True
        ),
        "consent_named": bool(data.consent_named),
        "challenge_id": problems.take(_challenge_id, event, data, kept_challenge),
        "category": None,
    }
    if data.category:
        if data.category not in CATEGORIES:
            problems.add(_("Choose a category from the list."), "category")
        values["category"] = data.category
    kept = KIND_FIELDS.get(data.kind, ())
    for name, limit in FIELD_LIMITS.items():
        raw = getattr(data, name) if name in kept else ""
        values[name] = problems.take(clean_text, raw, name, max_length=limit) or ""
    values["country"] = values["country"].upper()
    if values["country"] and not is_country(values["country"]):
        problems.add(_("Choose a country from the list."), "country")
    if values["budget_range"] not in BUDGET_RANGES:
        problems.add(_("Choose a budget range from the list."), "budget_range")
    values["links"] = problems.take(_clean_links, values["links"])
    needed = {"best_practice": "city", "pilot_proposal": "lead"}.get(data.kind)
    if needed and not values[needed] and not problems.has(needed):
        problems.add(
            _("Say in which city this was done.")
            if needed == "city"
            else _("Say who would lead the pilot."),
            needed,
        )
    problems.raise_any()
    return values


def _challenge_id(event, data: InputData, kept_challenge) -> int | None:
    if not data.challenge_id:
        return None
    challenge = db.session.get(Challenge, data.challenge_id)
    # An input may stay with its challenge after the challenge was archived.
    if (
        challenge is None
        or challenge.event_id != event.id
        or (challenge.archived_at is not None and challenge.id != kept_challenge)
    ):
        raise ValidationFailed(
            _("Choose one of this event's challenges."), "challenge_id"
        )
    return challenge.id


def _require_window(event, now: datetime) -> None:
    if not window_open(event, now):
        raise PermissionDenied(_("The submission window for this event is closed."))


def submit_input(event, author: Author, data: InputData, *, now: datetime) -> Input:
    """A registrant's or expert's new input, waiting for moderation."""
    if author.event_id != event.id or not author.may_contribute:
        raise PermissionDenied(_("You cannot contribute to this event."))
    _require_window(event, now)
    values = _clean(event, author, data)
    item = Input(
        event_id=event.id,
        registration_id=author.registration.id if author.registration else None,
        expert_id=author.expert.id if author.expert else None,
        state="submitted",
        is_expert=bool(author.expert and author.expert.is_approved),
        tags=[],
        created_at=now,
        updated_at=now,
        **values,
    )
    db.session.add(item)
    sync_library(item)
    announce(event, "input.submitted", item, now=now)
    return item


def update_input(
    item: Input, author: Author, data: InputData, *, now: datetime
) -> None:
    """The author's edit; it goes back to moderation (published or hidden alike)."""
    if not author.owns(item):
        raise PermissionDenied(_("Only the author can change this input."))
    if item.state == "merged":
        raise ValidationFailed(
            _("This input was merged into another one and can no longer change.")
        )
    _require_window(item.event, now)
    values = _clean(item.event, author, data, kept_challenge=item.challenge_id)
    changed = any(getattr(item, k) != v for k, v in values.items())
    if not changed:
        return
    unnamed = item.consent_named and not values["consent_named"]
    for name, value in values.items():
        setattr(item, name, value)
    item.state = "submitted"
    item.hidden_reason = ""
    item.updated_at = now
    sync_library(item)
    if unnamed:
        for hook in _UNNAMED_HOOKS:
            hook(item)


def own_input(author: Author, input_id: int) -> Input:
    """One of the author's inputs; NotFound for anybody else's."""
    item = db.session.get(Input, input_id)
    if item is None or not author.owns(item):
        raise NotFound(_("No such input."))
    return item


def author_inputs(author: Author) -> list[Input]:
    """The author's inputs, newest first, whatever their state."""
    query = select(Input)
    if author.registration is not None:
        query = query.where(Input.registration_id == author.registration.id)
    else:
        query = query.where(Input.expert_id == author.expert.id)
    return list(
        db.session.scalars(query.order_by(Input.created_at.desc(), Input.id.desc()))
    )
