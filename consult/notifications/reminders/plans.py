"""Reminder and follow-up plans: the default plan, due times, organiser edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import NotFound, Problems
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import (
    PLAN_ANCHORS,
    PLAN_AUDIENCES,
    PLAN_KINDS,
    ReminderPlanItem,
)
from consult.notifications.reminders.placeholders import check_placeholders
from consult.registration.models import StakeholderType

HOUR = 60
DAY = 24 * HOUR
# (kind, anchor, offset in minutes, audience): the plan every event starts with.
DEFAULT_PLAN = (
    ("reminder", "start", -7 * DAY, "confirmed"),
    ("reminder", "start", -DAY, "confirmed"),
    ("reminder", "start", -HOUR, "confirmed"),
    ("follow_up", "end", 2 * HOUR, "attendees"),
    ("follow_up", "end", 2 * HOUR, "absentees"),
    ("organiser_nudge", "end", DAY, "organisers"),
)
MAX_OFFSET_MINUTES = 26 * 7 * DAY
# The longest catch-up margin an organiser may set: four weeks.
MAX_MARGIN_MINUTES = 4 * 7 * DAY


# An SMS text of a plan item: at most this many characters (about three
# segments of GSM-7 text); the editor counts the segments as one types.
SMS_BODY_MAX = 459


@dataclass
class PlanItemData:
    """An organiser's edit of one plan item, as parsed by the form."""

    kind: str
    anchor: str
    offset_minutes: int
    audience: str
    type_keys: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    # The SMS sent instead to people who chose SMS; '' for none.
    sms_body: str = ""
    enabled: bool = True
    # None: the default margin (a quarter of a reminder's offset, a week
    # after the event).
    catch_up_margin_minutes: int | None = None


def plan_items(event: Event) -> list[ReminderPlanItem]:
    """The event's plan, in order."""
    return list(
        db.session.scalars(
            select(ReminderPlanItem)
            .where(ReminderPlanItem.event_id == event.id)
            .order_by(ReminderPlanItem.position, ReminderPlanItem.id)
        )
    )


def ensure_default_plan(event: Event, *, now: datetime) -> list[ReminderPlanItem]:
    """The event's plan; the default one is created when it has none yet."""
    items = plan_items(event)
    if items:
        return items
    for position, (kind, anchor, offset, audience) in enumerate(DEFAULT_PLAN):
        db.session.add(
            ReminderPlanItem(
                event_id=event.id,
                kind=kind,
                anchor=anchor,
                offset_minutes=offset,
                audience=audience,
                type_keys=[],
                subject="",
                body="",
                enabled=True,
                position=position,
                created_at=now,
                updated_at=now,
            )
        )
    db.session.flush()
    return plan_items(event)


def due_at(item: ReminderPlanItem, event: Event) -> datetime:
    """When the item is due, from the event's current times."""
    anchor = event.start_at if item.anchor == "start" else event.end_at
    return anchor + timedelta(minutes=item.offset_minutes)


def plan_item_of(event: Event, item_id: int) -> ReminderPlanItem:
    """One item of this event's plan, or NotFound."""
    item = db.session.get(ReminderPlanItem, item_id)
    if item is None or item.event_id != event.id:
        raise NotFound(_("No such plan item."))
    return item


def validate_plan_item(event: Event, data: PlanItemData) -> PlanItemData:
    """Check an edit; ValidationFailed names each field at fault, all together."""
    problems = Problems()
    if data.kind not in PLAN_KINDS:
        problems.add(_("Choose a kind of message."), "kind")
    if data.anchor not in PLAN_ANCHORS:
        problems.add(_("Choose the start or the end."), "anchor")
    if (
        data.offset_minutes is not None
        and abs(data.offset_minutes) > MAX_OFFSET_MINUTES
    ):
        problems.add(_("At most 26 weeks before or after."), "offset")
    margin = data.catch_up_margin_minutes
    if margin is not None and not 0 <= margin <= MAX_MARGIN_MINUTES:
        problems.add(_("At most four weeks."), "margin")
    if data.audience not in PLAN_AUDIENCES:
        problems.add(_("Choose who receives it."), "audience")
    elif (data.audience == "organisers") != (data.kind == "organiser_nudge"):
        problems.add(
            _("Organiser reminders go to organisers, other messages to registrants."),
            "audience",
        )
    known = set(
        db.session.scalars(
            select(StakeholderType.key).where(StakeholderType.event_id == event.id)
        )
    )
    if set(data.type_keys) - known:
        problems.add(_("Unknown stakeholder types."), "type_keys")
    _check_texts(data, problems)
    problems.raise_any()
    return data


def _check_texts(data: PlanItemData, problems: Problems) -> None:
    data.subject = (data.subject or "").strip()
    data.body = (data.body or "").strip()
    data.sms_body = (data.sms_body or "").strip()
    seated = data.audience == "confirmed"
    if len(data.subject) > 200:
        problems.add(_("At most 200 characters."), "subject")
    else:
        problems.take(check_placeholders, data.subject, "subject", seated=seated)
    problems.take(check_placeholders, data.body, "body", seated=seated)
    if len(data.sms_body) > SMS_BODY_MAX:
        problems.add(_("At most %(n)d characters, please.", n=SMS_BODY_MAX), "sms_body")
    else:
        problems.take(check_placeholders, data.sms_body, "sms_body", seated=seated)


def update_plan_item(
    item: ReminderPlanItem, data: PlanItemData, *, now: datetime
) -> ReminderPlanItem:
    """Save an organiser's edit of one item (what was already sent stays sent)."""
    data = validate_plan_item(item.event, data)
    for name in (
        "kind",
        "anchor",
        "offset_minutes",
        "audience",
        "subject",
        "body",
        "sms_body",
        "catch_up_margin_minutes",
    ):
        setattr(item, name, getattr(data, name))
    item.type_keys = sorted(set(data.type_keys))
    item.enabled = data.enabled
    item.updated_at = now
    db.session.flush()
    return item


def add_plan_item(event: Event, data: PlanItemData, *, now: datetime):
    """Append a new item to the event's plan."""
    data = validate_plan_item(event, data)
    items = ensure_default_plan(event, now=now)
    item = ReminderPlanItem(
        event_id=event.id,
        kind=data.kind,
        anchor=data.anchor,
        offset_minutes=data.offset_minutes,
        audience=data.audience,
        type_keys=sorted(set(data.type_keys)),
        subject=data.subject,
        body=data.body,
        sms_body=data.sms_body,
        enabled=data.enabled,
        catch_up_margin_minutes=data.catch_up_margin_minutes,
        position=max((i.position for i in items), default=-1) + 1,
        created_at=now,
        updated_at=now,
    )
    db.session.add(item)
    db.session.flush()
    return item


def set_plan_item_enabled(item: ReminderPlanItem, enabled: bool, *, now: datetime):
    """Switch an item on or off."""
    item.enabled = enabled
    item.updated_at = now
    db.session.flush()
    return item
