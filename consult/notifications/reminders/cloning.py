"""The reminder plan's part of a clone (consult/clone_parts.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.clone_parts import (
    CloneJob,
    ClonePart,
    copied_translations,
    register_clone_part,
)
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders.plans import plan_items


def _copy_plan(job: CloneJob) -> None:
    # Items are timed from the event, so they move with the clone's dates.
    for item in plan_items(job.source):
        db.session.add(
            ReminderPlanItem(
                event_id=job.clone.id,
                kind=item.kind,
                anchor=item.anchor,
                offset_minutes=item.offset_minutes,
                catch_up_margin_minutes=item.catch_up_margin_minutes,
                audience=item.audience,
                type_keys=list(item.type_keys or []),
                subject=item.subject,
                body=item.body,
                sms_body=item.sms_body,
                enabled=item.enabled,
                position=item.position,
                translations=copied_translations(item.translations),
                created_at=job.now,
                updated_at=job.now,
            )
        )


def _plan_needs(event: Event) -> dict[str, object]:
    """Items for particular types name them by key: the types too."""
    if any(item.type_keys for item in plan_items(event)):
        return {
            "types": _l(
                "Some reminders go to particular stakeholder types only: copy "
                "the stakeholder types with them."
            )
        }
    return {}


register_clone_part(
    ClonePart(
        key="reminders",
        label=_l("Reminder plan"),
        explanation=_l(
            "When reminders and follow-ups go out, to whom, and what they say. "
            "Unticked: the default plan."
        ),
        copy=_copy_plan,
        order=50,
        needs=_plan_needs,
    )
)
