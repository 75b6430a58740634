"""What saving an edit of an event would send, before it is saved.

The edit and the news it causes are done in a savepoint and undone at once:
the numbers the organiser confirms (people emailed, reminders re-timed) come
from the same code that will do it. ``fingerprint`` binds the confirmation
to those numbers and the new times: when either changed, the page asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from consult.extensions import db
from consult.notifications.withdrawals import queued_reminder_count
from consult.registration.services.event_changes import (
    CalendarSnapshot,
    queue_calendar_updates,
)


@dataclass(frozen=True)
class ChangePreview:
    """What an event's edit sends: emails, and queued reminders re-timed."""

    emailed: int
    moved: bool
    reminders: int
    start_at: datetime
    end_at: datetime

    @property
    def fingerprint(self) -> str:
        return "-".join(
            (str(self.emailed), self.start_at.isoformat(), self.end_at.isoformat())
        )

    @property
    def needs_confirmation(self) -> bool:
        return self.emailed > 0


def preview_event_change(
    event, before: CalendarSnapshot, apply: Callable[[], object], *, now: datetime
) -> ChangePreview:
    """Apply the edit (``apply``: the event service's update) and queue its
    news in a savepoint, count them, and undo it all."""
    savepoint = db.session.begin_nested()
    try:
        apply()
        emailed = len(queue_calendar_updates(event, before, now=now))
        preview = ChangePreview(
            emailed=emailed,
            moved=(before.start_at, before.end_at) != (event.start_at, event.end_at),
            reminders=queued_reminder_count(event.id),
            start_at=event.start_at,
            end_at=event.end_at,
        )
    finally:
        savepoint.rollback()
    db.session.expire(event)
    return preview
