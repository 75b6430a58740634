"""Milestone reminders to action owners, computed from the tables.

For each milestone not done, of an action neither done nor dropped and with
an owner's address, on the city's calendar:

- ``milestone_due``: from REMIND_DAYS days before the due date to the due
  date itself (a milestone added later is reminded of at once);
- ``milestone_overdue``: from the first day after the due date, for
  OVERDUE_NOTICE_DAYS days (so a scheduler that was down catches up, but a
  plan entered with old dates does not mail about long-past milestones).

The outbox's dedup keys (``action-milestone:<id>:due|overdue:<due_on>``)
make each message due once per milestone and due date, whatever restarts
or concurrent runs happen; moving the due date makes a new one due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from consult.actions.models import Action, ActionPlan, Milestone
from consult.actions.services.dates import city_today
from consult.actions.services.emails import FINISHED, queue_milestone_email
from consult.cities.models import City
from consult.extensions import db

REMIND_DAYS = 7
OVERDUE_NOTICE_DAYS = 7


@dataclass(frozen=True)
class ReminderReport:
    due: int
    overdue: int

    def __str__(self) -> str:
        return f"queued {self.due} milestone reminders, {self.overdue} overdue notices"


def due_kind(milestone: Milestone, today) -> str | None:
    """Which message is due for the milestone on the city's ``today``, if any."""
    if milestone.done_on is not None:
        return None
    days_left = (milestone.due_on - today).days
    if 0 <= days_left <= REMIND_DAYS:
        return "milestone_due"
    if -OVERDUE_NOTICE_DAYS <= days_left < 0:
        return "milestone_overdue"
    return None


def _candidates(now: datetime) -> list[Milestone]:
    # Every city's date is within a day of UTC's: a window one day wider on
    # each side than the widest message window holds every candidate.
    utc_today = now.date()
    low = utc_today - timedelta(days=OVERDUE_NOTICE_DAYS + 1)
    high = utc_today + timedelta(days=REMIND_DAYS + 1)
    query = (
        select(Milestone)
        .join(Milestone.action)
        .join(Action.plan)
        .join(ActionPlan.city)
        .options(
            contains_eager(Milestone.action)
            .contains_eager(Action.plan)
            .contains_eager(ActionPlan.city)
        )
        .where(
            Milestone.done_on.is_(None),
            Milestone.due_on >= low,
            Milestone.due_on <= high,
            Action.status.not_in(FINISHED),
            Action.owner_email != "",
        )
        .order_by(City.id, Milestone.due_on, Milestone.id)
    )
    return list(db.session.scalars(query))


def enqueue_milestone_reminders(*, now: datetime) -> ReminderReport:
    """Queue every milestone reminder and overdue notice due at ``now``."""
    counts = {"milestone_due": 0, "milestone_overdue": 0}
    for milestone in _candidates(now):
        kind = due_kind(milestone, city_today(milestone.action.plan.city, now))
        if kind and queue_milestone_email(milestone, kind, now=now):
            counts[kind] += 1
    db.session.flush()
    return ReminderReport(counts["milestone_due"], counts["milestone_overdue"])
