"""What a new registrant can do next: the thank-you page's list, without queries.

The thank-you page is rendered inside the registration POST, the hot path of
a registration surge. What it needs beyond the registration (the event's open
surveys, whether it has challenges and when prioritising is open) is the same
for everyone, so each process keeps it per event for ``PAGE_CACHE_SECONDS``,
like the anonymous page cache and the event's page language: a surge reads it
once per process every few seconds. The windows are kept, not their state, so
whether a survey is open is decided at each request's ``now``; only an
organiser's edit reaches the page up to those seconds late. With the setting
at 0 (the tests) every call reads the database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, inspect, select

from consult.challenges.models import Challenge, ChallengeSettings
from consult.extensions import db
from consult.surveys.models import Survey, survey_audience_types

_EXTENSION = "consult.registration_next_steps"
_MAX_EVENTS = 256


@dataclass(frozen=True)
class EventSteps:
    """An event's surveys, challenges and prioritising window, as read once."""

    surveys: tuple[Survey, ...]  # detached copies, pre-event ones only
    audience_types: dict[int, frozenset[int]]
    challenges: int
    priorities_open_at: datetime | None
    priorities_close_at: datetime | None

    def priorities_open(self, now: datetime) -> bool:
        if not self.challenges or self.priorities_open_at is None:
            return False
        if now < self.priorities_open_at:
            return False
        return self.priorities_close_at is None or now < self.priorities_close_at


@dataclass(frozen=True)
class NextSteps:
    """What this person may do now: each item only when it exists and is open."""

    public_survey: Survey | None  # a public-link pre-event survey
    personal_survey: Survey | None  # one this registrant answers by their link
    challenges: bool
    priorities: bool


def next_steps(
    event_id: int, status: str, type_id: int | None, *, now: datetime
) -> NextSteps:
    """The next steps of a registrant with this status and stakeholder type."""
    steps = event_steps(event_id)
    public = personal = None
    for survey in steps.surveys:
        if not survey.is_open(now):
            continue
        if survey.audience == "public" and survey.public_token:
            public = public or survey
        elif status == "confirmed" and _in_audience(survey, type_id, steps):
            personal = personal or survey
    return NextSteps(
        public_survey=public,
        personal_survey=personal,
        challenges=steps.challenges > 0,
        priorities=status == "confirmed" and steps.priorities_open(now),
    )


def _in_audience(survey: Survey, type_id: int | None, steps: EventSteps) -> bool:
    # A new registrant has not attended anything yet: "attendees" surveys wait.
    if survey.audience == "confirmed":
        return True
    if survey.audience == "types":
        return type_id in steps.audience_types.get(survey.id, frozenset())
    return False


class _Store:
    def __init__(self) -> None:
        self.entries: dict[int, tuple[float, EventSteps]] = {}
        self.lock = threading.Lock()


def event_steps(event_id: int) -> EventSteps:
    """The event's next-step facts, kept per process for ``PAGE_CACHE_SECONDS``."""
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    if seconds <= 0:
        return _load(event_id)
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions.setdefault(_EXTENSION, _Store())
    clock = time.monotonic()
    with store.lock:
        kept = store.entries.get(event_id)
        if kept is not None and kept[0] > clock:
            return kept[1]
    loaded = _load(event_id)
    with store.lock:
        if len(store.entries) >= _MAX_EVENTS:
            store.entries.clear()  # bounded; refilled on the next requests
        store.entries[event_id] = (clock + seconds, loaded)
    return loaded


def _load(event_id: int) -> EventSteps:
    surveys = db.session.scalars(
        select(Survey)
        .where(Survey.event_id == event_id, Survey.kind == "pre_event")
        .order_by(Survey.opens_at, Survey.id)
    ).all()
    audience: dict[int, set[int]] = {}
    typed = [s.id for s in surveys if s.audience == "types"]
    if typed:
        rows = db.session.execute(
            select(
                survey_audience_types.c.survey_id,
                survey_audience_types.c.stakeholder_type_id,
            ).where(survey_audience_types.c.survey_id.in_(typed))
        )
        for survey_id, type_id in rows:
            audience.setdefault(survey_id, set()).add(type_id)
    challenges = db.session.scalar(
        select(func.count())
        .select_from(Challenge)
        .where(Challenge.event_id == event_id, Challenge.archived_at.is_(None))
    )
    window = db.session.execute(
        select(ChallengeSettings.opens_at, ChallengeSettings.closes_at).where(
            ChallengeSettings.event_id == event_id
        )
    ).first()
    return EventSteps(
        surveys=tuple(_copy(s) for s in surveys),
        audience_types={k: frozenset(v) for k, v in audience.items()},
        challenges=int(challenges or 0),
        priorities_open_at=window.opens_at if window else None,
        priorities_close_at=window.closes_at if window else None,
    )


def _copy(obj):
    """A transient copy with the same column values (never added to a session)."""
    mapper = inspect(type(obj))
    return type(obj)(
        **{attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}
    )
