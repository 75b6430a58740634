"""When an event's live room is open, and its settings (defaults until saved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.live.models import LiveSettings
from consult.timeutil import now_utc

PHASES = ("before", "open", "closed")


def settings_of(event: Event) -> LiveSettings:
    """The event's live settings; an unsaved row with the defaults when none."""
    found = db.session.scalar(
        select(LiveSettings).where(LiveSettings.event_id == event.id)
    )
    if found is not None:
        return found
    return LiveSettings(
        event_id=event.id,
        opens_minutes_before=LiveSettings.opens_minutes_before.default.arg,
        closes_minutes_after=LiveSettings.closes_minutes_after.default.arg,
        questions_enabled=True,
        anonymous_allowed=True,
    )


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime
    cancelled: bool

    def phase(self, now: datetime) -> str:
        """before, open or closed at ``now`` (a cancelled event's room never opens)."""
        if self.cancelled or now >= self.closes_at:
            return "closed"
        return "open" if now >= self.opens_at else "before"


def window_of(event: Event, settings: LiveSettings | None = None) -> Window:
    """The instants the room opens and closes."""
    settings = settings or settings_of(event)
    return Window(
        opens_at=event.start_at - timedelta(minutes=settings.opens_minutes_before),
        closes_at=event.end_at + timedelta(minutes=settings.closes_minutes_after),
        cancelled=event.is_cancelled,
    )


def room_window(event: Event, now: datetime | None = None) -> dict:
    """For the manage page: the room's phase and instants."""
    window = window_of(event)
    return {
        "phase": window.phase(now or now_utc()),
        "opens_at": window.opens_at,
        "closes_at": window.closes_at,
    }
