"""After registering: cancellation, an organiser's decision, corrections."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.errors import Conflict
from consult.events.access import require_manager
from consult.extensions import db
from consult.facts import announce, registration_kinds
from consult.notifications.withdrawals import (
    recorded_reason,
    withdraw_queued_for_registration,
)
from consult.registration.models import Registration
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.seats import (
    add_to_waitlist,
    lock_event,
    promote_from_waitlist,
    release_seat,
    seat_available,
    take_seat,
)
from consult.registration.services.validation import DetailsData, clean_details
from consult.text import clean_text


def _locked(registration: Registration) -> Registration:
    """Lock the event, then re-read the registration: its status may have moved."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    return registration


def withdraw(registration: Registration, status: str, *, now: datetime) -> list:
    """Move a registration out of the seats and the waiting list; promote others.

    Call after lock_event. Returns the people promoted into the freed seat.
    """
    was_confirmed = registration.status == "confirmed"
    release_seat(registration)
    registration.status = status
    registration.waitlist_position = None
    registration.updated_at = now
    db.session.flush()
    if was_confirmed:
        return promote_from_waitlist(registration.event, now=now)
    return []


def withdraw_messages(registration: Registration) -> int:
    """Withdraw, at once, what is queued to a registration that just closed.

    Reminders, follow-ups, survey emails and earlier registration emails all
    assume a place the person no longer has; the message about the closing
    itself is queued afterwards.
    """
    return withdraw_queued_for_registration(
        registration.id,
        reason=recorded_reason(
            lambda: _(
                "Before this message left, the registration's status changed to: "
                "%(status)s.",
                status=registration.status,
            )
        ),
    )


def cancel_registration(
    registration: Registration, *, now: datetime, by=None
) -> list[Registration]:
    """Cancel a registration, freeing its seat for the waiting list in the same transaction."""
    registration = _locked(registration)
    if registration.status in ("cancelled", "rejected"):
        return []
    if by is not None:
        require_manager(by, registration.event)
        registration.decided_by_id = by.id
    registration.cancelled_at = now
    promoted = withdraw(registration, "cancelled", now=now)
    withdraw_messages(registration)
    queue_registration_email(
        registration, "cancelled", now=now, dedup_suffix=str(int(now.timestamp()))
    )
    announce(registration.event, registration_kinds("cancelled"), registration, now=now)
    return promoted


def approve(registration: Registration, actor, *, now: datetime) -> Registration:
    """Approve a pending registration: a seat when one is free, else the waiting list."""
    require_manager(actor, registration.event)
    registration = _locked(registration)
    if registration.status != "pending":
        raise Conflict(_("Only registrations awaiting approval can be approved."))
    event = registration.event
    if seat_available(event, registration.stakeholder_type):
        take_seat(registration, now=now)
    elif event.waitlist_enabled:
        add_to_waitlist(registration)
    else:
        raise Conflict(_("This event is full."))
    registration.decided_by_id = actor.id
    registration.updated_at = now
    # Approval can happen again after a cancellation and a new registration.
    queue_registration_email(
        registration, "approved", now=now, dedup_suffix=now.strftime("%Y%m%dT%H%M%S%f")
    )
    announce(event, registration_kinds(registration.status), registration, now=now)
    return registration


def reject(
    registration: Registration, actor, reason: str, *, now: datetime
) -> list[Registration]:
    """Reject a registration with a reason told to the person; frees any seat."""
    require_manager(actor, registration.event)
    reason = clean_text(reason, "reason", max_length=1000)
    registration = _locked(registration)
    if registration.status in ("rejected", "cancelled"):
        raise Conflict(_("This registration is already closed."))
    registration.status_reason = reason
    registration.decided_by_id = actor.id
    promoted = withdraw(registration, "rejected", now=now)
    withdraw_messages(registration)
    queue_registration_email(registration, "rejected", now=now)
    return promoted


def update_details(
    registration: Registration, data: DetailsData, *, now: datetime
) -> Registration:
    """Correct a registrant's own details (not the email, type or role)."""
    if registration.erased_at is not None:
        raise Conflict(_("This registration has been erased."))
    for name, value in clean_details(data).items():
        setattr(registration, name, value)
    registration.updated_at = now
    db.session.flush()
    return registration
