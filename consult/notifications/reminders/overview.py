"""The organiser's view of a plan: when each item sends, to how many, what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import (
    OutboundEmail,
    ReminderDispatch,
    ReminderPlanItem,
    SchedulerHeartbeat,
)
from consult.notifications.reminders.catch_up import catch_up_margin, describe_margin
from consult.notifications.reminders.engine import attendance_recorded, count_audience
from consult.notifications.reminders.plans import due_at, plan_items
from consult.scheduler import JOBS

# The plan page says the scheduler "has not reported for more than five
# minutes", so no shorter silence counts as stale.
HEARTBEAT_STALE_AFTER = timedelta(minutes=5)


@dataclass
class PlanItemState:
    """One row of the plan table."""

    item: ReminderPlanItem
    due_at: datetime
    audience_now: int
    state: str  # off, scheduled, due, waiting_attendance, expired, done
    margin: str = ""  # how late it may still go out, in words
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def _outcomes(item_ids: list[int]) -> dict[int, dict]:
    rows = db.session.execute(
        select(
            ReminderDispatch.plan_item_id,
            ReminderDispatch.status,
            ReminderDispatch.reason,
            OutboundEmail.status,
            func.count(ReminderDispatch.id),
        )
        .outerjoin(OutboundEmail, OutboundEmail.id == ReminderDispatch.email_id)
        .where(ReminderDispatch.plan_item_id.in_(item_ids))
        .group_by(
            ReminderDispatch.plan_item_id,
            ReminderDispatch.status,
            ReminderDispatch.reason,
            OutboundEmail.status,
        )
    )
    result: dict[int, dict] = {i: {"skipped": {}} for i in item_ids}
    for item_id, status, reason, email_status, count in rows:
        bucket = result[item_id]
        if status == "queued" and email_status == "expired":
            reason = _("not sent before the event started")
            status = "skipped"
        elif status == "queued" and email_status == "withdrawn":
            # Its reason is on the message in the outbox.
            reason = _("withdrawn before it left")
            status = "skipped"
        if status == "skipped":
            bucket["skipped"][reason] = bucket["skipped"].get(reason, 0) + count
        else:
            key = {"sent": "sent", "failed": "failed"}.get(email_status, "queued")
            bucket[key] = bucket.get(key, 0) + count
    return result


def _state(item, due, now, audience, decided, event) -> str:
    if not item.enabled:
        return "off"
    if due > now:
        return "scheduled"
    if item.audience in ("attendees", "absentees") and not attendance_recorded(event):
        # Never sent, and said so: attendance was not complete in time.
        if now > due + catch_up_margin(item):
            return "expired"
        return "waiting_attendance"
    return "due" if decided < audience else "done"


def plan_overview(event: Event, *, now: datetime) -> list[PlanItemState]:
    """Each plan item with its due time, audience size now and outcomes."""
    items = plan_items(event)
    outcomes = _outcomes([item.id for item in items])
    rows = []
    for item in items:
        due = due_at(item, event)
        audience = count_audience(item)
        done = outcomes[item.id]
        decided = done.get("queued", 0) + done.get("sent", 0) + done.get("failed", 0)
        decided += sum(done["skipped"].values())
        rows.append(
            PlanItemState(
                item=item,
                due_at=due,
                audience_now=audience,
                state=_state(item, due, now, audience, decided, event),
                margin=describe_margin(catch_up_margin(item)),
                queued=done.get("queued", 0),
                sent=done.get("sent", 0),
                failed=done.get("failed", 0),
                skipped=done["skipped"],
            )
        )
    return rows


def scheduler_is_stale(*, now: datetime) -> bool:
    """True when no scheduler job has reported for a while (or ever).

    A running scheduler reports at least as often as its most frequent job in
    ``scheduler.JOBS``, so the wait is that job's allowance, and never less
    than five minutes (the defaults give exactly five).
    """
    shortest = min(job.allowance(current_app.config) for job in JOBS)
    last = db.session.scalar(
        select(SchedulerHeartbeat.last_run_at)
        .order_by(SchedulerHeartbeat.last_run_at.desc())
        .limit(1)
    )
    return last is None or last < now - max(shortest, HEARTBEAT_STALE_AFTER)
