"""Emails to registrants when their event changes: updated invites and cancellations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.calendar.ics import invite_attachments
from consult.content import current_language, text_in
from consult.dial_in import dial_in_for
from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.services import queue_email
from consult.notifications.withdrawals import (
    invite_may_be_held,
    recorded_reason,
    retime_queued_reminders,
    withdraw_queued_for_event,
)
from consult.registration.models import Registration
from consult.registration.services.emails import join_context
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
    # The numbers (as stored) and the access code callers then had.
    dial_in: tuple = ((), "")
    # The title's translations then: language -> title.
    titles: tuple[tuple[str, str], ...] = ()

    def title_in(self, language: str) -> str:
        """The title a reader in `language` saw then (the default one if untranslated)."""
        return dict(self.titles).get(language) or self.title


def calendar_snapshot(event) -> CalendarSnapshot:
    return CalendarSnapshot(
        title=event.title,
        titles=tuple(
            (language, texts["title"])
            for language, texts in sorted((event.translations or {}).items())
            if (texts or {}).get("title")
        ),
        start_at=event.start_at,
        end_at=event.end_at,
        timezone=event.timezone,
        join_url=event.join_url,
        sequence=event.sequence,
        dial_in=_dial_in_state(event),
    )


def _dial_in_state(event) -> tuple:
    numbers = tuple(
        (n.get("country", ""), n.get("number", ""), n.get("label", ""))
        for n in event.dial_in_numbers or []
    )
    return (numbers, event.dial_in_code or "")


# Everyone who holds or awaits a place hears of a move or a cancellation;
# only confirmed people get the join link and a calendar invite.
TOLD_STATUSES = ("confirmed", "waitlisted", "pending")


def concerned_registrants(event) -> list[Registration]:
    """Registrations holding or awaiting a place, with an email address."""
    return _registrants(event, TOLD_STATUSES)


def _registrants(event, statuses) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status.in_(statuses),
                Registration.email.is_not(None),
                Registration.erased_at.is_(None),
            )
            .order_by(Registration.id)
        )
    )


def change_lines(
    before: CalendarSnapshot, event, zone: str, *, seated: bool = True
) -> list[str]:
    """Short sentences telling a registrant what changed, times in their zone too.

    ``seated``: the person holds a seat (and so the join link)."""
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
    # The title as the reader sees it, in their language: a new default
    # title under an unchanged translation is no change for them.
    new_title = text_in(event, "title")
    old_title = before.title_in(current_language())
    if old_title != new_title:
        lines.append(
            _(
                "New title: “%(new)s” (was “%(old)s”).",
                new=new_title,
                old=old_title,
            )
        )
    if seated and before.join_url != event.join_url:
        lines.append(_("The join link has changed: please use the new one."))
    if seated and before.dial_in != _dial_in_state(event):
        if event.dial_in_numbers:
            lines.append(_("The dial-in details have changed: see them below."))
        else:
            lines.append(_("Joining by phone is no longer offered."))
    return lines


def queue_calendar_updates(event, before: CalendarSnapshot, *, now: datetime) -> list:
    """Queue the news of a change to each registrant concerned, once per change.

    Confirmed people get the updated invite and the join link; waitlisted and
    pending people the same news without them. Queued reminders of a moved
    event wait for their new moment (they are composed when they leave, so
    they state the new time).
    """
    if (before.start_at, before.end_at) != (event.start_at, event.end_at):
        retime_queued_reminders(event)
    if not event.is_published or event.sequence == before.sequence:
        return []
    queued = []
    for registration in concerned_registrants(event):
        seated = registration.status == "confirmed"
        confirmed_at = registration.confirmed_at
        if seated and confirmed_at is not None and confirmed_at >= now:
            continue  # seated by this very change: their invite is already current
        # The news, its "what changed" lines and the invite in the person's
        # language, whoever moved the event.
        with composing_for(registration) as language:
            zone = registration.timezone or event.timezone
            context = {
                "registration": registration,
                "event": event,
                "changes": change_lines(before, event, zone, seated=seated),
                "manage_url": manage_url(registration),
                **join_context(registration if seated else None),
                "dial_in": dial_in_for(event, registration.country) if seated else None,
                "viewer_zone": zone,
                "with_invite": seated,
            }
            queued.append(
                _queue_to(
                    registration,
                    template="calendar_update",
                    subject=_("Updated: %(title)s", title=text_in(event, "title")),
                    context=context,
                    dedup_key=f"calendar-update:{event.id}:{event.sequence}:{registration.id}",
                    now=now,
                    attachments=invite_attachments(registration, now=now)
                    if seated
                    else (),
                    language=language,
                )
            )
    return queued


def queue_calendar_cancellations(event, *, now: datetime) -> list:
    """Tell each registrant concerned that the event is cancelled.

    What was queued to its registrants and no longer applies (reminders, a
    confirmation not yet sent, survey emails) is withdrawn first. A confirmed
    person gets a calendar CANCEL when they may hold a copy (see
    ``invite_may_be_held``); waitlisted and pending people get the news alone.
    """
    if not event.is_cancelled:
        return []
    withdraw_queued_for_event(
        event.id,
        reason=recorded_reason(
            lambda: _("The event was cancelled before this message left.")
        ),
    )
    queued = []
    for registration in concerned_registrants(event):
        with_invite = registration.status == "confirmed" and invite_may_be_held(
            registration.id
        )
        with composing_for(registration) as language:
            queued.append(
                _queue_to(
                    registration,
                    template="calendar_cancelled",
                    subject=_("Cancelled: %(title)s", title=text_in(event, "title")),
                    context={
                        "registration": registration,
                        "event": event,
                        "manage_url": manage_url(registration),
                        "join_url": "",
                        "dial_in": None,
                        "viewer_zone": registration.timezone or event.timezone,
                        "with_invite": with_invite,
                    },
                    dedup_key=f"calendar-cancel:{event.id}:{event.sequence}:{registration.id}",
                    now=now,
                    attachments=(
                        invite_attachments(registration, now=now, method="CANCEL")
                        if with_invite
                        else ()
                    ),
                    language=language,
                )
            )
    return queued


def _queue_to(registration: Registration, **message):
    """Queue one message to a registrant, tied to the registration (so that a
    cancellation withdraws it and an erasure scrubs it)."""
    return queue_email(
        to=registration.email,
        to_name=registration.full_name,
        event=registration.event,
        registration_id=registration.id,
        **message,
    )
