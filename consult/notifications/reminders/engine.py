"""The reminder engine: a scheduler job that turns due plan items into emails.

What is due is computed on every run from the plan items, the event's current
times and the registrations, so a restart or an outage loses nothing and a
moved event re-times what has not been sent. Each decision (queued, or skipped
with its reason) is a ReminderDispatch row, unique per item and recipient:
running twice, or twice at once, decides each pair once.

This is a job, so it commits its own work, in small transactions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from consult.auth.models import User
from consult.events.models import Event, EventOrganiser
from consult.extensions import db
from consult.notifications.models import (
    OutboundEmail,
    ReminderDispatch,
    ReminderPlanItem,
)
from consult.notifications.reminders.catch_up import (
    _later_reminders,
    catch_up_margin,
    describe_margin,
    skip_reason,
)
from consult.notifications.reminders.messages import (
    TEMPLATES,
    queue_for_organiser,
)
from consult.notifications.reminders.plans import (
    due_at,
    ensure_default_plan,
)
from consult.notifications.reminders.sms import queue_for_registrant_by_any
from consult.notifications.withdrawals import retime_queued_reminders
from consult.registration.models import (
    Registration,
    StakeholderType,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# The "record the attendance" nudge repeats this often while attendance is
# not declared complete, until its margin (a week by default) has passed.
NUDGE_REPEAT = timedelta(days=1)
# Events whose end is older than this are not looked at any more.
LOOKBACK = timedelta(days=200)
# pg_try_advisory_xact_lock(namespace, event id): one engine per event at once.
ADVISORY_NAMESPACE = 0x52454D49  # "REMI"


@dataclass
class ReminderReport:
    """What one run decided."""

    queued: int = 0
    skipped: int = 0
    busy_events: int = 0
    paused_events: int = 0
    failed_events: list[int] = field(default_factory=list)
    out_of_range_events: list[int] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)
    # Follow-ups past their margin that never went because attendance was
    # not declared complete in time (item ids).
    expired_follow_ups: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"queued {self.queued}, skipped {self.skipped}, "
            f"busy events {self.busy_events}"
            + (f", paused events {self.paused_events}" if self.paused_events else "")
            + (
                f", follow-ups expired waiting for attendance {self.expired_follow_ups}"
                if self.expired_follow_ups
                else ""
            )
            + (
                f", events with dates out of range {self.out_of_range_events}"
                if self.out_of_range_events
                else ""
            )
        )


def enqueue_due_reminders(*, now: datetime) -> ReminderReport:
    """Queue every due reminder and follow-up once; commits (a job)."""
    report = ReminderReport()
    for event_id in _candidate_event_ids(now):
        # One event's failure must not hold back every other event's reminders.
        try:
            _process_event(event_id, now=now, report=report)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("reminders of event %s failed", event_id)
            report.failed_events.append(event_id)
    if report.failed_events:
        # Surfaces in the job's heartbeat, so the organiser view warns.
        raise RuntimeError(f"{report}; failed events {report.failed_events}")
    return report


def _candidate_event_ids(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(Event.id)
            .where(Event.status == "published", Event.end_at > now - LOOKBACK)
            .order_by(Event.start_at, Event.id)
        )
    )


def _claim_event(event_id: int) -> bool:
    """On PostgreSQL, True when no other engine works on the event right now."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:ns, :id)"),
            {"ns": ADVISORY_NAMESPACE, "id": event_id},
        )
    )


def _process_event(event_id: int, *, now: datetime, report: ReminderReport) -> None:
    if not _claim_event(event_id):
        report.busy_events += 1
        return
    event = db.session.get(Event, event_id)
    if event is None or event.status != "published":
        return
    if not event.dates_in_range:
        # Stored before dates were bounded (9999, year 1): its times overflow.
        # Skipped and logged on each run until corrected, never a failed job.
        log.warning(
            "reminders of event %s skipped: its dates are out of range "
            "(start %s, end %s)",
            event.id,
            event.start_at,
            event.end_at,
        )
        report.out_of_range_events.append(event.id)
        return
    _retime_queued_reminders(event)
    if event.messages_paused_at is not None:
        # Paused by an organiser: nothing is decided, so resuming decides
        # what is still due then, by the same rules (controls.py). Held
        # reminders are still re-timed above if the event moves meanwhile.
        report.paused_events += 1
        return
    if event.end_at > now:
        # A plan is created lazily; old events never get one from the engine.
        ensure_default_plan(event, now=now)
    items = db.session.scalars(
        select(ReminderPlanItem)
        .where(ReminderPlanItem.event_id == event.id, ReminderPlanItem.enabled)
        .order_by(ReminderPlanItem.position, ReminderPlanItem.id)
    ).all()
    due_items = []
    for item in items:
        try:
            due = due_at(item, event)
        except (OverflowError, ValueError):
            log.warning("reminder %s of event %s skipped: due time out of range",
                        item.id, event.id)  # fmt: skip
            continue
        if due <= now:
            due_items.append((item, due))
    reminders = [(item, due) for item, due in due_items if item.kind == "reminder"]
    for item, due in due_items:
        if item.audience == "organisers":
            _dispatch_organisers(item, due, now=now, report=report)
        elif not _audience_ready(item, event):
            if now > due + catch_up_margin(item):
                report.expired_follow_ups.append(item.id)
        else:
            later = _later_reminders(item, due, reminders, now=now)
            _dispatch_registrants(item, due, now=now, report=report, later=later)


def _retime_queued_reminders(event: Event) -> None:
    """Queued, unsent reminders follow a moved start: never sent after it."""
    db.session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.event_id == event.id,
            OutboundEmail.status == "queued",
            OutboundEmail.template == TEMPLATES["reminder"],
            or_(
                OutboundEmail.send_before.is_(None),
                OutboundEmail.send_before != event.start_at,
            ),
        )
        .values(send_before=event.start_at)
    )
    retime_queued_reminders(event)


def attendance_recorded(event: Event) -> bool:
    """True once attendance was declared complete (an import, or the organiser).

    A check-in or two during the event is not the attendance: follow-ups sent
    on it would tell everyone else "sorry we missed you".
    """
    return event.attendance_completed_at is not None


@dataclass(frozen=True)
class AttendanceHold:
    """Follow-ups held back because attendance is not declared complete."""

    expires_at: datetime  # the first held follow-up is dropped after this
    expired: bool  # it has been already
    items: int  # how many follow-ups wait


def attendance_hold(event: Event, *, now: datetime) -> AttendanceHold | None:
    """The follow-ups waiting for attendance once the event has ended; None if none."""
    if attendance_recorded(event) or event.end_at > now:
        return None
    follow_ups = db.session.scalars(
        select(ReminderPlanItem).where(
            ReminderPlanItem.event_id == event.id,
            ReminderPlanItem.enabled,
            ReminderPlanItem.audience.in_(("attendees", "absentees")),
        )
    ).all()
    if not follow_ups:
        return None
    expiries = [due_at(item, event) + catch_up_margin(item) for item in follow_ups]
    first = min(expiries)
    return AttendanceHold(first, now > first, len(follow_ups))


def _audience_ready(item: ReminderPlanItem, event: Event) -> bool:
    # Without attendance everyone looks absent: thanking or consoling has to
    # wait for it (the organiser nudge asks for it).
    if item.audience in ("attendees", "absentees"):
        return attendance_recorded(event)
    return True


def audience_query(item: ReminderPlanItem):
    """Registrations the item is for (without regard to what was decided)."""
    query = select(Registration).where(
        Registration.event_id == item.event_id, Registration.erased_at.is_(None)
    )
    if item.audience == "confirmed":
        query = query.where(Registration.status == "confirmed")
    elif item.audience == "attendees":
        query = query.where(Registration.attended.is_(True))
    else:
        query = query.where(
            Registration.status == "confirmed", Registration.attended.is_(False)
        )
    if item.type_keys:
        query = query.join(StakeholderType).where(
            StakeholderType.key.in_(item.type_keys)
        )
    return query


def count_audience(item: ReminderPlanItem) -> int:
    """How many people the item would reach now."""
    if item.audience == "organisers":
        return len(organisers_of(item.event))
    subquery = audience_query(item).with_only_columns(Registration.id).subquery()
    return db.session.scalar(select(func.count()).select_from(subquery)) or 0


def _undecided(item: ReminderPlanItem):
    decided = exists().where(
        ReminderDispatch.plan_item_id == item.id,
        ReminderDispatch.registration_id == Registration.id,
    )
    return audience_query(item).where(~decided).order_by(Registration.id)


def _dispatch_registrants(item, due, *, now, report, later=()) -> None:
    other_follow_up = _had_other_follow_up(item)
    while True:
        batch = db.session.scalars(_undecided(item).limit(BATCH_SIZE)).all()
        if not batch:
            return
        for registration in batch:
            reason = skip_reason(
                item,
                registration,
                due,
                now=now,
                later=later,
                other_follow_up=registration.id in other_follow_up,
            )
            _decide(item, f"r{registration.id}", due, reason, report, now=now,
                    registration=registration)  # fmt: skip
        # Small transactions: commit the batch, keep the event claimed by
        # claiming it again (PostgreSQL's xact lock ended with the commit).
        db.session.commit()
        if not _claim_event(item.event_id):
            report.busy_events += 1
            return


def _had_other_follow_up(item: ReminderPlanItem) -> set[int]:
    """Registrations that were sent the opposite follow-up (thanks vs sorry)."""
    if item.kind != "follow_up" or item.audience not in ("attendees", "absentees"):
        return set()
    other = "absentees" if item.audience == "attendees" else "attendees"
    return set(
        db.session.scalars(
            select(ReminderDispatch.registration_id)
            .join(
                ReminderPlanItem, ReminderPlanItem.id == ReminderDispatch.plan_item_id
            )
            .where(
                ReminderPlanItem.event_id == item.event_id,
                ReminderPlanItem.kind == "follow_up",
                ReminderPlanItem.audience == other,
                ReminderDispatch.status == "queued",
                ReminderDispatch.registration_id.isnot(None),
            )
        )
    )


def organisers_of(event: Event) -> list[User]:
    """The owner and co-organisers who can receive email."""
    co = select(EventOrganiser.user_id).where(EventOrganiser.event_id == event.id)
    users = db.session.scalars(
        select(User)
        .where(or_(User.id == event.owner_id, User.id.in_(co)))
        .order_by(User.id)
    )
    return [user for user in users if user.email and user.is_active]


def _dispatch_organisers(item, due, *, now, report) -> None:
    """The nudge to record attendance: repeats every day until it is complete.

    Each repetition is its own decision (target ``u<id>`` the first day,
    ``u<id>-<n>`` on day n), so a run decides at most today's; after the
    margin (a week by default) it stops, with the reason recorded once.
    """
    margin = catch_up_margin(item)
    if attendance_recorded(item.event):
        reason, day = _("attendance already recorded"), 0
    elif now > due + margin:
        reason, day = _("more than a week overdue"), 0
        if item.catch_up_margin_minutes is not None:
            reason = _("more than %(margin)s late", margin=describe_margin(margin))
    else:
        reason, day = "", int((now - due) / NUDGE_REPEAT)
    hold = attendance_hold(item.event, now=now) if not reason else None
    for user in organisers_of(item.event):
        target = f"u{user.id}" if day == 0 else f"u{user.id}-{day}"
        if _decided(item, target):
            continue
        _decide(item, target, due, reason, report, now=now, user=user,
                expires_at=hold.expires_at if hold else None)  # fmt: skip


def _decided(item: ReminderPlanItem, target: str) -> bool:
    return (
        db.session.scalar(
            select(ReminderDispatch.id).where(
                ReminderDispatch.plan_item_id == item.id,
                ReminderDispatch.target == target,
            )
        )
        is not None
    )


def _decide(
    item,
    target,
    due,
    reason,
    report,
    *,
    now,
    registration=None,
    user=None,
    expires_at=None,
):
    """Record one decision; queue the email when it is not a skip."""
    dispatch = ReminderDispatch(
        plan_item_id=item.id,
        target=target,
        registration_id=getattr(registration, "id", None),
        user_id=getattr(user, "id", None),
        status="skipped" if reason else "queued",
        reason=reason,
        due_at=due,
        decided_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(dispatch)
            if not reason:
                dispatch.email_id = (
                    queue_for_registrant_by_any(item, registration, now=now)
                    if registration is not None
                    else queue_for_organiser(
                        item, user, now=now, target=target, expires_at=expires_at
                    ).id
                )
    except IntegrityError:
        # Another run decided this pair first: its decision stands.
        log.info("reminder %s for %s already decided", item.id, target)
        return
    if reason:
        report.skipped += 1
        report.reasons[reason] = report.reasons.get(reason, 0) + 1
    else:
        report.queued += 1
