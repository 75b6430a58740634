"""The catch-up rule: which due reminder a person gets, and why the others not.

Of a plan's reminders due for a person, only the latest goes; one whose
moment passed by more than its margin is skipped with the reason; reminders
count from when the person got their seat. The engine (engine.py) applies
it as it decides; resuming paused messages (controls.py) applies it again
to what was held.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import format_timedelta
from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders.plans import due_at, plan_items
from consult.notifications.services import normalise_recipient
from consult.registration.models import Registration

# Messages after the event are dropped (and say so) once this late: a plan
# created for an old event must not thank its audience a year on. It is the
# default catch-up margin of follow-ups and organiser nudges.
AFTER_EVENT_GRACE = timedelta(days=7)
# A reminder's default margin is a quarter of its offset (42 hours for the
# 7-day one, 6 hours for the 1-day one, 15 minutes for the 1-hour one), never
# less than this, so an ordinary scheduler interval never makes one late.
MARGIN_FLOOR = timedelta(minutes=5)


def _order(item: ReminderPlanItem, due: datetime) -> tuple:
    return (due, item.position, item.id)


def _later_reminders(item, due, reminders, *, now) -> list[ReminderPlanItem]:
    """The plan's other reminders already due, whose moment comes after item's
    and which may still go out (within their own catch-up margin): a later
    reminder that is itself too late replaces nothing."""
    if item.kind != "reminder":
        return []
    return [
        other
        for other, other_due in reminders
        if _order(other, other_due) > _order(item, due)
        and now <= other_due + catch_up_margin(other)
    ]


def later_due_reminders(item, event: Event, *, now) -> list[ReminderPlanItem]:
    """``_later_reminders`` of one item, from the event's current times (for a
    reminder held back while the event's messages were paused)."""
    reminders = []
    for other in plan_items(event):
        if not other.enabled or other.kind != "reminder":
            continue
        other_due = due_at(other, event)
        if other_due <= now:
            reminders.append((other, other_due))
    return _later_reminders(item, due_at(item, event), reminders, now=now)


def catch_up_margin(item: ReminderPlanItem) -> timedelta:
    """How late the item may still go out after its moment.

    The organiser's setting when there is one; otherwise a quarter of a
    reminder's offset (at least ``MARGIN_FLOOR``), or a week for messages
    after the event.
    """
    if item.catch_up_margin_minutes is not None:
        return timedelta(minutes=item.catch_up_margin_minutes)
    if item.kind == "reminder":
        return max(timedelta(minutes=abs(item.offset_minutes)) / 4, MARGIN_FLOOR)
    return AFTER_EVENT_GRACE


def describe_margin(margin: timedelta) -> str:
    """'42 hours', '15 minutes', '7 days': a margin in the current language."""
    return format_timedelta(margin, threshold=2)


def seated_at(registration: Registration) -> datetime:
    """When the person got their seat (or registered, for rows without it)."""
    return registration.confirmed_at or registration.created_at


def _reaches(item: ReminderPlanItem, registration: Registration) -> bool:
    """Whether the (reminder) item is for this registration too."""
    if item.audience in ("confirmed", "absentees") and registration.status != (
        "confirmed"
    ):
        return False
    if item.audience == "attendees" and not registration.attended:
        return False
    if item.audience == "absentees" and registration.attended:
        return False
    return not item.type_keys or registration.stakeholder_type.key in item.type_keys


def skip_reason(
    item,
    registration: Registration,
    due: datetime,
    *,
    now,
    later=(),
    other_follow_up: bool = False,
) -> str:
    """Why this person must not get the item now; '' when they should.

    The catch-up rule: of a plan's reminders due for a person, only the
    latest goes; one whose moment passed by more than its margin is skipped;
    and they count from when the person got their seat: a reminder whose
    moment came before it is skipped, since the confirmation or promotion
    that gave the seat said everything a reminder says (someone promoted 20
    hours before the start gets the 1-hour reminder, not the 1-day one beside
    the promotion).
    """
    event = item.event
    if registration.messages_opted_out_at is not None:
        return _("unsubscribed from this event's messages")
    if item.kind == "reminder" and now >= event.start_at:
        return _("event already started")
    if item.kind == "reminder" and seated_at(registration) > due:
        return _("got their seat after this reminder was due")
    if any(_reaches(other, registration) for other in later):
        return _("a later reminder is due")
    margin = catch_up_margin(item)
    if now > due + margin:
        if item.catch_up_margin_minutes is None and item.kind != "reminder":
            return _("more than a week overdue")
        return _("more than %(margin)s late", margin=describe_margin(margin))
    if other_follow_up:
        return _("already received the other follow-up")
    if not registration.email:
        if item.sms_body and registration.sms_allowed:
            return ""  # reached by SMS only
        return _("no email address")
    try:
        normalise_recipient(registration.email)
    except ValidationFailed:
        return _("invalid email address")
    return ""
