"""Preview a plan item's email before saving, for a real or a sample registrant."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.events.models import Event
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.models import ReminderPlanItem
from consult.notifications.reminders.messages import preview
from consult.notifications.reminders.placeholders import fill_placeholders
from consult.notifications.reminders.plans import (
    PlanItemData,
    due_at,
    validate_plan_item,
)
from consult.notifications.services import render_bodies
from consult.registration.models import Registration


def sample_registrant(event: Event, *, now: datetime) -> Registration:
    """The first confirmed registrant, or a made-up one that is never saved."""
    real = db.session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == "confirmed",
            Registration.erased_at.is_(None),
        )
        .order_by(Registration.id)
        .limit(1)
    )
    if real is not None:
        return real
    # Another zone than the event's, so the preview shows both.
    zone = (
        "Europe/Brussels"
        if event.timezone != "Europe/Brussels"
        else "Asia/Kuala_Lumpur"
    )
    return Registration(
        id=0,
        event_id=event.id,
        full_name=_("Alex Example"),
        email="alex@example.org",
        status="confirmed",
        timezone=zone,
        manage_nonce="preview",
        created_at=now,
    )


def preview_plan_item(event: Event, data: PlanItemData, *, actor, now: datetime):
    """Subject, text and HTML the edited item would send (ValidationFailed if bad)."""
    data = validate_plan_item(event, data)
    item = ReminderPlanItem(
        id=0,
        event_id=event.id,
        kind=data.kind,
        anchor=data.anchor,
        offset_minutes=data.offset_minutes,
        audience=data.audience,
        type_keys=data.type_keys,
        subject=data.subject,
        body=data.body,
    )
    item.event = event
    if data.kind == "organiser_nudge":
        return _nudge_preview(event, data, actor)
    registration = sample_registrant(event, now=now)
    registration.event = registration.event or event
    # A reminder is shown as it leaves, so {time_until} reads "in 1 week".
    moment = now
    if item.kind == "reminder":
        try:
            moment = max(now, due_at(item, event))
        except (OverflowError, ValueError):
            moment = now
    return preview(item, registration, now=moment)


def _nudge_preview(event: Event, data: PlanItemData, actor) -> dict[str, str]:
    """The nudge as the organiser would receive it, in their own language."""
    with composing_for(actor) as language:
        text, html = render_bodies(
            "reminder_organiser_nudge",
            {
                "event": event,
                "user": actor,
                "body": fill_placeholders(data.body, {"event_title": event.title}),
                "attendance_url": external_url(
                    "registration.attendance_import", slug=event.slug
                ),
                "expires": "",
            },
            language=language,
        )
        subject = _("Record the attendance of %(title)s", title=event.title)
    return {"subject": subject, "text": text, "html": html}
