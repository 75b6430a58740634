"""Whether a queued reminder or follow-up is still right when it leaves.

The email and the SMS of a plan item are composed at send time (see
consult.notifications.composers); both are withdrawn, with the reason, by the
same checks: the plan item was removed or switched off, the person
unsubscribed or is no longer in the item's audience, the event was cancelled
or started, or it moved so that the message is not due yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from consult.events.models import Event
from consult.extensions import db
from consult.notifications.composers import Withdrawn
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders.plans import due_at
from consult.registration.models import Registration

# A queued message whose moment (the event moved) is later than this is not
# sent now: it waits (re-timed by the move) or, caught mid-send, is withdrawn.
DUE_MARGIN = timedelta(minutes=15)


def plan_item_of(row: OutboundEmail) -> ReminderPlanItem:
    """The queued message's plan item, if it is still in the plan and on."""
    params = row.params or {}
    item = db.session.get(ReminderPlanItem, params.get("item") or 0)
    if item is None or item.event_id != row.event_id:
        raise Withdrawn(_("The message was removed from the event's plan."))
    if not item.enabled:
        raise Withdrawn(_("The organiser switched this message off before it left."))
    return item


def check_still_due(
    item: ReminderPlanItem, registration: Registration, *, now: datetime
) -> Event:
    """The event, when the message may leave now; else Withdrawn with why."""
    if registration.messages_opted_out_at is not None:
        raise Withdrawn(
            _("The person unsubscribed from this event's messages before it left.")
        )
    event = item.event
    if event.is_cancelled:
        raise Withdrawn(_("The event was cancelled before this message left."))
    check_audience(item, registration)
    if item.kind == "reminder" and now >= event.start_at:
        raise Withdrawn(_("The event started before this reminder left."))
    due = due_at(item, event)
    if due > now + DUE_MARGIN:
        raise Withdrawn(
            _(
                "The event moved: this message is now due at %(due)s UTC.",
                due=f"{due:%Y-%m-%d %H:%M}",
            )
        )
    return event


def check_audience(item: ReminderPlanItem, registration: Registration) -> None:
    """Withdrawn when the person is no longer in the item's audience."""
    if item.audience in ("confirmed", "absentees") and registration.status != (
        "confirmed"
    ):
        raise Withdrawn(
            _(
                "Before this message left, the registration's status changed to: "
                "%(status)s.",
                status=registration.status,
            )
        )
    attended = bool(registration.attended)
    if (item.audience == "attendees") != attended and item.audience in (
        "attendees",
        "absentees",
    ):
        raise Withdrawn(_("Before this message left, the person's attendance changed."))
    if item.type_keys and registration.stakeholder_type.key not in item.type_keys:
        raise Withdrawn(
            _(
                "Before this message left, the person moved to another stakeholder group."
            )
        )
