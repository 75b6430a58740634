"""The parts of an event's set-up a clone may copy: the registry.

Cloning an event (consult/events/services/cloning.py) always copies its
details and agenda; every other part belongs to the area that owns its tables
(stakeholder types and registration questions, challenges, surveys, the
reminder plan, the call for contributions, the event's own privacy notice,
languages and sender). Each area registers its part here at import
(``register_clone_part``), so neither this module nor the events area imports
the areas above it. A part copies set-up only: never registrations, answers,
inputs, proposals or anything a person gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CloneJob:
    """What a part's copier works with: the two events, who clones and when,
    and ``shift``, which moves an instant of the source like its dates."""

    source: Any
    clone: Any
    actor: Any
    now: datetime
    shift: Callable[[datetime | None], datetime | None]


@dataclass(frozen=True)
class ClonePart:
    """One part of an event's set-up a clone may copy."""

    key: str
    label: Any  # a lazy string: the checkbox
    explanation: Any  # a lazy string: what it copies, under the checkbox
    copy: Callable[[CloneJob], None]
    order: int  # copied in this order (types before what names them)
    # For a source event: the parts this one needs with it, each with why
    # (registration questions for some types only need the types).
    needs: Callable[[Any], dict[str, Any]] | None = None


_PARTS: dict[str, ClonePart] = {}


def register_clone_part(part: ClonePart) -> None:
    """Make ``part`` one of the parts a clone may copy (once per key)."""
    known = _PARTS.get(part.key)
    if known is not None and known != part:
        raise ValueError(f"clone part {part.key!r} is registered already")
    _PARTS[part.key] = part


def clone_parts() -> list[ClonePart]:
    """Every part a clone may copy, in the order they are copied."""
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.key))


def copied_translations(translations: dict | None) -> dict:
    """A translations column's value, copied deep (the source's own dicts
    would otherwise be shared with the copy)."""
    return {lang: dict(texts) for lang, texts in (translations or {}).items()}
