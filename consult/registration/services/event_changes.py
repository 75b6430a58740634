"""Emails to confirmed registrants when their event changes: updated invites and cancellations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.calendar.ics import invite_attachments
from consult.extensions import db
from consult.notifications.services import queue_email
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_url
from consult.timeutil import format_range


@dataclass(frozen=True)
class CalendarSnapshot:
    """What a calendar copy shows, taken before an edit to tell what changed."""

    title: str
    start_at: datetime
    end_at: datetime
    timezone: str
    join_url: str
    sequence: int


def calendar_snapshot(event) -> CalendarSnapshot:
    return CalendarSnapshot(
        title=event.title,
        start_at=event.start_at,
        end_at=event.end_at,
        timezone=event.timezone,
        join_url=event.join_url,
        sequence=event.sequence,
    )


def confirmed_registrants(event) -> list[Registration]:
    """Confirmed registrations of an event that hold an email address."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == "confirmed",
                Registration.email.is_not(None),
                Registration.erased_at.is_(None),
            )
            .order_by(Registration.id)
        )
    )


def change_lines(before: CalendarSnapshot, event, zone: str) -> list[str]:
    """Short sentences telling a registrant what changed, times in their zone too."""
    lines = []
    moved = (before.start_at, before.end_at) != (event.start_at, event.end_at)
    if moved or before.timezone != event.timezone:
        lines.append(
            _(
                "New time: %(new)s (was %(old)s).",
                new=format_range(event.start_at, event.end_at, event.timezone),
                old=format_range(before.start_at, before.end_at, before.timezone),
            )
        )
        if zone and zone != event.timezone:
            lines.append(
                _(
                    "In your time zone: %(new)s.",
                    new=format_range(event.start_at, event.end_at, zone),
                )
            )
    if before.title != event.title:
        lines.append(
            _(
                "New title: “%(new)s” (was “%(old)s”).",
                new=event.title,
                old=before.title,
            )
        )
    if before.join_url != event.join_url:
        lines.append(_("The join link has changed: please use the new one."))
    return lines


def queue_calendar_updates(event, before: CalendarSnapshot, *, now: datetime) -> list:
    """Queue the updated invite to each confirmed registrant, once per change."""
    if not event.is_published or event.sequence == before.sequence:
        return []
    queued = []
    for registration in confirmed_registrants(event):
        if registration.confirmed_at is not None and registration.confirmed_at >= now:
            continue  # seated by this very change: their invite is already current
        zone = registration.timezone or event.timezone
        context = {
            "registration": registration,
            "event": event,
            "changes": change_lines(before, event, zone),
            "manage_url": manage_url(registration),
            "join_url": event.join_url,
            "viewer_zone": zone,
        }
        queued.append(
            queue_email(
                template="calendar_update",
                to=registration.email,
                to_name=registration.full_name,
                subject=_("Updated: %(title)s", title=event.title),
                context=context,
                dedup_key=f"calendar-update:{event.id}:{event.sequence}:{registration.id}",
                now=now,
                event=event,
                attachments=invite_attachments(registration, now=now),
            )
        )
    return queued


def queue_calendar_cancellations(event, *, now: datetime) -> list:
    """Queue METHOD:CANCEL to each confirmed registrant of a cancelled event."""
    if not event.is_cancelled:
        return []
    queued = []
    for registration in confirmed_registrants(event):
        queued.append(
            queue_email(
                template="calendar_cancelled",
                to=registration.email,
                to_name=registration.full_name,
                subject=_("Cancelled: %(title)s", title=event.title),
                context={
                    "registration": registration,
                    "event": event,
                    "manage_url": manage_url(registration),
                    "join_url": "",
                    "viewer_zone": registration.timezone or event.timezone,
                },
                dedup_key=f"calendar-cancel:{event.id}:{event.sequence}:{registration.id}",
                now=now,
                event=event,
                attachments=invite_attachments(registration, now=now, method="CANCEL"),
            )
        )
    return queued
