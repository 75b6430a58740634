"""Every registration email is composed here, and queued through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from consult.calendar.ics import invite_attachments
from consult.notifications.services import EmailAttachment, queue_email
from consult.registration.models import Registration
from consult.registration.services.tokens import manage_url
from consult.timeutil import now_utc

SUBJECTS = {
    "confirmed": lambda: _("You are registered: %(title)s"),
    "waitlisted": lambda: _("You are on the waiting list: %(title)s"),
    "pending": lambda: _("Your registration awaits approval: %(title)s"),
    "approved": lambda: _("Your registration is approved: %(title)s"),
    "rejected": lambda: _("Your registration was not accepted: %(title)s"),
    "promoted": lambda: _("A seat is free for you: %(title)s"),
    "cancelled": lambda: _("Your registration is cancelled: %(title)s"),
    "link_resent": lambda: _("Your registration link: %(title)s"),
}
# Kinds after which the person holds a seat: only these show the join link.
SEATED_KINDS = {"confirmed", "approved", "promoted"}
# Kinds that take a seat away: a calendar copy, if one was sent, is cancelled.
WITHDRAWN_KINDS = {"cancelled", "rejected"}


def confirmation_attachments(
    registration: Registration, *, now: datetime | None = None
) -> tuple[EmailAttachment, ...]:
    """The calendar invite (METHOD:REQUEST) for a confirmed registrant, else nothing."""
    if registration.status != "confirmed" or not registration.email:
        return ()
    return invite_attachments(registration, now=now or now_utc())


def withdrawal_attachments(
    registration: Registration, *, now: datetime
) -> tuple[EmailAttachment, ...]:
    """A METHOD:CANCEL for the calendar copy of someone who once held a seat."""
    if registration.confirmed_at is None or not registration.email:
        return ()
    return invite_attachments(registration, now=now, method="CANCEL")


def queue_registration_email(
    registration: Registration,
    kind: str,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
    dedup_suffix: str = "",
):
    """Queue the email of one kind to a registrant; None when they have no address."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown registration email {kind!r}")
    if not registration.email or registration.erased_at is not None:
        return None  # assisted registrations are told by the organiser
    event = registration.event
    seated = kind in SEATED_KINDS and registration.status == "confirmed"
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "manage_url": manage_url(registration),
        "join_url": event.join_url if seated else "",
        "viewer_zone": registration.timezone or event.timezone,
        **(extra or {}),
    }
    if "waitlist_place" not in context:
        # Counted once for both the text and the HTML version.
        context["waitlist_place"] = registration.waitlist_place
    key = f"registration:{registration.id}:{kind}"
    if dedup_suffix:
        key += f":{dedup_suffix}"
    return queue_email(
        template=f"registration_{kind}",
        to=registration.email,
        to_name=registration.full_name,
        subject=SUBJECTS[kind]() % {"title": event.title},
        context=context,
        dedup_key=key,
        now=now,
        event=event,
        attachments=_attachments(registration, kind, seated, now=now),
    )


def _attachments(
    registration: Registration, kind: str, seated: bool, *, now: datetime
) -> tuple[EmailAttachment, ...]:
    if seated:
        return confirmation_attachments(registration, now=now)
    if kind in WITHDRAWN_KINDS:
        return withdrawal_attachments(registration, now=now)
    return ()
