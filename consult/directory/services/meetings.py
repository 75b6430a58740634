"""Meeting requests between listed participants: send, accept one slot, decline.

No address leaves before acceptance: the request email names the sender but
carries no address, and only the acceptance emails (to both) give each the
other's address and an invite for the agreed slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from consult.database import is_postgresql
from consult.directory.models import MESSAGE_MAX, MeetingRequest, MeetingSlot
from consult.directory.services.emails import (
    queue_acceptance_emails,
    queue_request_email,
)
from consult.directory.services.listing import require_member, visible_person
from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration
from consult.timeutil import is_valid_timezone, to_utc

MAX_SLOTS = 3
WINDOW = timedelta(hours=24)


def daily_limit() -> int:
    return int(current_app.config.get("MEETING_REQUEST_DAILY_LIMIT") or 10)


def _lock_sender(sender: Registration) -> None:
    """Serialise one sender's requests, so that counting then inserting never
    lets more than the limit through. PostgreSQL: a row lock (FOR NO KEY
    UPDATE: the new request's foreign-key check still gets its KEY SHARE);
    SQLite: write transactions begin with BEGIN IMMEDIATE (consult.database)."""
    query = select(Registration.id).where(Registration.id == sender.id)
    if is_postgresql(db.session):
        query = query.with_for_update(key_share=True)
    db.session.execute(query)


def sent_in_window(sender: Registration, *, now: datetime) -> int:
    """How many requests the sender made in the last 24 hours."""
    return db.session.scalar(
        select(func.count(MeetingRequest.id)).where(
            MeetingRequest.sender_id == sender.id,
            MeetingRequest.created_at > now - WINDOW,
        )
    )


def _slots(starts, zone: str, *, now: datetime, problems: Problems) -> list[datetime]:
    chosen = [start for start in starts if start is not None]
    if not chosen:
        problems.add(_("Propose at least one date and time."), "slots")
        return []
    if len(chosen) > MAX_SLOTS:
        problems.add(
            ngettext(
                "Propose at most %(num)d time.",
                "Propose at most %(num)d times.",
                MAX_SLOTS,
            ),
            "slots",
        )
        return []
    instants = []
    for start in chosen:
        instant = problems.take(to_utc, start, zone, "slots")
        if instant is None:
            continue
        if instant <= now:
            problems.add(_("Propose times in the future."), "slots")
            return []
        if instant not in instants:
            instants.append(instant)
    return instants


def check_request(sender, recipient_id, message, starts, zone, *, now) -> Problems:
    """The refusals of a request's content (writes nothing)."""
    problems = Problems()
    if len((message or "").strip()) > MESSAGE_MAX:
        problems.add(
            ngettext(
                "Please keep this to %(num)d character or fewer.",
                "Please keep this to %(num)d characters or fewer.",
                MESSAGE_MAX,
            ),
            "message",
        )
    if not zone or not is_valid_timezone(zone):
        problems.add(_("Choose a time zone from the list."), "timezone")
        return problems
    _slots(starts, zone, now=now, problems=problems)
    return problems


def send_request(
    sender: Registration,
    recipient_id: int,
    message: str,
    starts: list[datetime | None],
    zone: str,
    *,
    now: datetime,
) -> MeetingRequest:
    """Ask a listed participant for a meeting at one of the proposed times
    (wall-clock times in ``zone``), within the sender's daily limit."""
    require_member(sender)
    recipient = visible_person(sender, recipient_id)
    check_request(sender, recipient_id, message, starts, zone, now=now).raise_any()
    instants = _slots(starts, zone, now=now, problems=Problems())
    _lock_sender(sender)
    limit = daily_limit()
    if sent_in_window(sender, now=now) >= limit:
        raise ValidationFailed(
            ngettext(
                "You can send %(num)d meeting request a day. Please try again later.",
                "You can send %(num)d meeting requests a day. Please try again later.",
                limit,
            )
        )
    waiting = db.session.scalar(
        select(MeetingRequest.id).where(
            MeetingRequest.sender_id == sender.id,
            MeetingRequest.recipient_id == recipient.id,
            MeetingRequest.status == "pending",
        )
    )
    if waiting is not None:
        raise Conflict(_("Your earlier request to this person still awaits an answer."))
    request = MeetingRequest(
        event_id=sender.event_id,
        sender_id=sender.id,
        recipient_id=recipient.id,
        message=(message or "").strip(),
        sender_zone=zone,
        status="pending",
        created_at=now,
        slots=[MeetingSlot(start_at=instant) for instant in sorted(instants)],
    )
    db.session.add(request)
    db.session.flush()
    queue_request_email(request, now=now)
    return request


def _lock_request(recipient: Registration, request_id: int) -> MeetingRequest:
    query = (
        select(MeetingRequest)
        .where(
            MeetingRequest.id == request_id,
            MeetingRequest.recipient_id == recipient.id,
        )
        .execution_options(populate_existing=True)
    )
    if is_postgresql(db.session):
        query = query.with_for_update()
    request = db.session.scalar(query)
    if request is None:
        raise NotFound(_("No such meeting request."))
    if request.status != "pending":
        raise Conflict(_("This request was answered already."))
    return request


def accept_request(
    recipient: Registration, request_id: int, slot_id: int | None, *, now: datetime
) -> MeetingRequest:
    """Accept one proposed slot: both get the other's address and an invite."""
    request = _lock_request(recipient, request_id)
    slot = next((s for s in request.slots if s.id == slot_id), None)
    if slot is None:
        raise ValidationFailed(_("Choose one of the proposed times."), "slot")
    if slot.start_at <= now:
        raise ValidationFailed(_("This time has passed; choose another."), "slot")
    require_member(recipient)
    try:
        visible_person(recipient, request.sender_id)
    except NotFound:
        raise Conflict(
            _("The sender has left the directory: the request can only be declined.")
        ) from None
    request.status = "accepted"
    request.agreed_start_at = slot.start_at
    request.decided_at = now
    db.session.flush()
    queue_acceptance_emails(request, now=now)
    return request


def decline_request(
    recipient: Registration, request_id: int, *, now: datetime
) -> MeetingRequest:
    """Decline a request; the sender sees it on their page, nobody is emailed."""
    request = _lock_request(recipient, request_id)
    request.status = "declined"
    request.decided_at = now
    db.session.flush()
    return request


def incoming(registration: Registration) -> list[MeetingRequest]:
    """Requests to the person, pending first, newest first."""
    return list(
        db.session.scalars(
            select(MeetingRequest)
            .where(MeetingRequest.recipient_id == registration.id)
            .order_by(
                (MeetingRequest.status != "pending"),
                MeetingRequest.created_at.desc(),
            )
        )
    )


def outgoing(registration: Registration) -> list[MeetingRequest]:
    """Requests the person sent, newest first."""
    return list(
        db.session.scalars(
            select(MeetingRequest)
            .where(MeetingRequest.sender_id == registration.id)
            .order_by(MeetingRequest.created_at.desc())
        )
    )
