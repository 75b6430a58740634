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
from consult.errors import ValidationFailed
from consult.events.models import Event, EventOrganiser
from consult.extensions import db
from consult.notifications.models import (
    OutboundEmail,
    ReminderDispatch,
    ReminderPlanItem,
)
from consult.notifications.reminders.messages import (
    TEMPLATES,
    queue_for_organiser,
    queue_for_registrant,
)
from consult.notifications.reminders.plans import due_at, ensure_default_plan
from consult.notifications.services import normalise_recipient
from consult.notifications.withdrawals import retime_queued_reminders
from consult.registration.models import (
    AttendanceImport,
    Registration,
    StakeholderType,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# Messages after the event are dropped (and say so) once this late: a plan
# created for an old event must not thank its audience a year on.
AFTER_EVENT_GRACE = timedelta(days=7)
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
    failed_events: list[int] = field(default_factory=list)
    out_of_range_events: list[int] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"queued {self.queued}, skipped {self.skipped}, "
            f"busy events {self.busy_events}"
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
    if event.end_at > now:
        # A plan is created lazily; old events never get one from the engine.
        ensure_default_plan(event, now=now)
    items = db.session.scalars(
        select(ReminderPlanItem).where(
            ReminderPlanItem.event_id == event.id, ReminderPlanItem.enabled
        )
    ).all()
    for item in items:
        try:
            due = due_at(item, event)
        except (OverflowError, ValueError):
            log.warning("reminder %s of event %s skipped: due time out of range",
                        item.id, event.id)  # fmt: skip
            continue
        if due > now or not _audience_ready(item, event):
            continue
        if item.audience == "organisers":
            _dispatch_organisers(item, due, now=now, report=report)
        else:
            _dispatch_registrants(item, due, now=now, report=report)


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
    """True once any attendance exists: an import, a check-in, an attendee."""
    imported = exists().where(AttendanceImport.event_id == event.id)
    marked = exists().where(
        Registration.event_id == event.id,
        or_(Registration.attended.is_(True), Registration.checked_in_at.isnot(None)),
    )
    return bool(db.session.scalar(select(or_(imported, marked))))


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


def _dispatch_registrants(item, due, *, now, report) -> None:
    while True:
        batch = db.session.scalars(_undecided(item).limit(BATCH_SIZE)).all()
        if not batch:
            return
        for registration in batch:
            reason = skip_reason(item, registration, due, now=now)
            _decide(item, f"r{registration.id}", due, reason, report, now=now,
                    registration=registration)  # fmt: skip
        # Small transactions: commit the batch, keep the event claimed by
        # claiming it again (PostgreSQL's xact lock ended with the commit).
        db.session.commit()
        if not _claim_event(item.event_id):
            report.busy_events += 1
            return


def skip_reason(item, registration: Registration, due: datetime, *, now) -> str:
    """Why this person must not get the item now; '' when they should."""
    event = item.event
    if item.kind == "reminder" and now >= event.start_at:
        return _("event already started")
    if registration.created_at > due:
        return _("registered after this reminder")
    if item.anchor == "end" and now > due + AFTER_EVENT_GRACE:
        return _("more than a week overdue")
    if not registration.email:
        return _("no email address")
    try:
        normalise_recipient(registration.email)
    except ValidationFailed:
        return _("invalid email address")
    return ""


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
    recorded = attendance_recorded(item.event)
    for user in organisers_of(item.event):
        if recorded:
            reason = _("attendance already recorded")
        elif now > due + AFTER_EVENT_GRACE:
            reason = _("more than a week overdue")
        else:
            reason = ""
        _decide(item, f"u{user.id}", due, reason, report, now=now, user=user)


def _decide(item, target, due, reason, report, *, now, registration=None, user=None):
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
                    queue_for_registrant(item, registration, now=now)
                    if registration is not None
                    else queue_for_organiser(item, user, now=now).id
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
