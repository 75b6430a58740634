"""What saving an edit of an event would send, before it is saved.

The edit and the news it causes are done in a savepoint and undone at once:
the numbers the organiser confirms (people emailed, reminders re-timed, people
a capacity raise promotes from the waiting list) come from the same code that
will do it. ``fingerprint`` binds the confirmation to those numbers and the
new times: when either changed, the page asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.withdrawals import queued_reminder_count
from consult.registration.models import Registration
from consult.registration.services.event_changes import (
    CalendarSnapshot,
    queue_calendar_updates,
)


@dataclass(frozen=True)
class ChangePreview:
    """What an event's edit sends: emails, queued reminders re-timed, and
    the people its new capacity gives a seat (told by email, SMS, or by the
    organiser when they have neither)."""

    emailed: int
    moved: bool
    reminders: int
    start_at: datetime
    end_at: datetime
    promoted: int = 0
    promoted_emailed: int = 0
    promoted_unreachable: int = 0

    @property
    def fingerprint(self) -> str:
        return "-".join(
            (
                str(self.emailed),
                str(self.promoted),
                self.start_at.isoformat(),
                self.end_at.isoformat(),
            )
        )

    @property
    def emailed_in_all(self) -> int:
        """People emailed: the change's news, or their new seat (the people
        seated by the change get no news of it: queue_calendar_updates)."""
        return self.emailed + self.promoted_emailed

    @property
    def needs_confirmation(self) -> bool:
        return self.emailed > 0 or self.promoted > 0


def preview_event_change(
    event, before: CalendarSnapshot, apply: Callable[[], object], *, now: datetime
) -> ChangePreview:
    """Apply the edit (``apply``: the event service's update) and queue its
    news in a savepoint, count them, and undo it all."""
    savepoint = db.session.begin_nested()
    try:
        waiting = _waiting_ids(event)
        apply()
        emailed = len(queue_calendar_updates(event, before, now=now))
        promoted = _now_seated(waiting)
        preview = ChangePreview(
            emailed=emailed,
            moved=(before.start_at, before.end_at) != (event.start_at, event.end_at),
            reminders=queued_reminder_count(event.id),
            start_at=event.start_at,
            end_at=event.end_at,
            promoted=len(promoted),
            promoted_emailed=sum(bool(r.email) for r in promoted),
            promoted_unreachable=sum(
                not r.email and not r.sms_allowed for r in promoted
            ),
        )
    finally:
        savepoint.rollback()
    db.session.expire(event)
    return preview


def _waiting_ids(event) -> list[int]:
    """The people on the event's waiting list before the edit."""
    return list(
        db.session.scalars(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.status == "waitlisted",
            )
        )
    )


def _now_seated(ids: list[int]) -> list[Registration]:
    """Those of them the edit gave a seat (the waiting list's promotion)."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.id.in_(ids), Registration.status == "confirmed")
            .order_by(Registration.id)
        )
    )
