"""Queued messages that a change makes wrong: withdrawn at once, re-timed, or scrubbed.

The sender checks each message again when its turn comes (``composers.py``),
but a change that makes messages wrong marks them at once, in its own
transaction, so the outbox shows right away what will not be sent and why:

- a registration cancelled or erased: its queued messages are withdrawn;
- an event cancelled: its registrants' queued messages are withdrawn (the
  cancellations themselves excepted), and the organisers' attendance nudges;
- an event's attendance declared complete: the queued nudges to record it;
- an event moved: its queued reminders and follow-ups wait for their new
  moment (their text is composed when they leave, so it states the new time);
- an erasure: the person's address, name and texts leave the outbox too; what
  the organiser must see stays (the kind of message, its status, when it was
  queued and sent).

One UPDATE per change; none imports an area, so any area may call them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import case, delete, exists, func, or_, select, update

from consult.extensions import db
from consult.notifications.models import (
    OutboundAttachment,
    OutboundEmail,
    ReminderPlanItem,
)

REMINDER_COMPOSER = "reminder"
# The SMS of a plan item (notifications/reminders/sms.py): re-timed alike.
SMS_REMINDER_COMPOSER = "reminder_sms"
# An organiser's own message to registrants says what the organiser chose to
# say, whatever changed since: only an erasure withdraws it.
ORGANISER_MESSAGE = "registration_message"
# The organisers' daily nudge to record an event's attendance (no registrant).
NUDGE_TEMPLATE = "reminder_organiser_nudge"
# Templates of the messages that tell a registrant their place or the event
# is gone: they stay queued when the rest of an event's mail is withdrawn.
FAREWELL_TEMPLATES = (
    "registration_cancelled",
    "registration_rejected",
    ORGANISER_MESSAGE,
)
# A calendar copy reached the person when a message carrying it left (or is
# leaving: a message being sent may have arrived).
DELIVERED_STATUSES = ("sent", "sending")
INVITE_TYPE = "text/calendar; method=REQUEST%"
# The messages that carry a confirmed registrant's invite.
INVITE_TEMPLATES = (
    "registration_confirmed",
    "registration_approved",
    "registration_promoted",
    "calendar_update",
    "reminder",
)

_table = OutboundEmail.__table__


def recorded_reason(make: Callable[[], str]) -> str:
    """A reason as the outbox records it: in the site's language, not the
    language of whoever made the change (the sender's reasons are the same)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return make()


def withdraw_queued_for_registration(
    registration_id: int, *, reason: str, keep: Iterable[str] = (ORGANISER_MESSAGE,)
) -> int:
    """Withdraw the registration's queued messages (except templates in ``keep``)."""
    conditions = [
        _table.c.registration_id == registration_id,
        _table.c.status == "queued",
    ]
    keep = tuple(keep)
    if keep:
        conditions.append(_table.c.template.not_in(keep))
    return _withdraw(conditions, reason)


def withdraw_queued_for_event(
    event_id: int, *, reason: str, keep: Iterable[str] = FAREWELL_TEMPLATES
) -> int:
    """Withdraw the queued messages to an event's registrants (except ``keep``),
    and the organisers' nudges to record its attendance."""
    conditions = [
        _table.c.event_id == event_id,
        or_(
            _table.c.registration_id.is_not(None),
            _table.c.template == NUDGE_TEMPLATE,
        ),
        _table.c.status == "queued",
    ]
    keep = tuple(keep)
    if keep:
        conditions.append(_table.c.template.not_in(keep))
    return _withdraw(conditions, reason)


def withdraw_attendance_nudges(event_id: int, *, reason: str) -> int:
    """The attendance is complete: queued nudges to record it have no point."""
    return _withdraw(
        [
            _table.c.event_id == event_id,
            _table.c.template == NUDGE_TEMPLATE,
            _table.c.status == "queued",
        ],
        reason,
    )


def _withdraw(conditions: list, reason: str) -> int:
    withdrawn = db.session.execute(
        update(_table)
        .where(*conditions)
        .values(status="withdrawn", last_error=reason[:1000], lease_expires_at=None)
    ).rowcount
    if withdrawn:
        _expire_loaded()
    return withdrawn


def scrub_registration_messages(registration_id: int, *, reason: str) -> int:
    """Erasure: withdraw what is queued, then remove the person from every row.

    Address, name, subject, texts, attachments and parameters go; the row
    keeps its kind (template), status, attempts and times, so the organiser
    still sees that a message was sent and when. Returns the rows scrubbed.
    """
    withdraw_queued_for_registration(registration_id, reason=reason, keep=())
    ids = select(_table.c.id).where(_table.c.registration_id == registration_id)
    db.session.execute(
        delete(OutboundAttachment.__table__).where(
            OutboundAttachment.__table__.c.email_id.in_(ids)
        )
    )
    scrubbed = db.session.execute(
        update(_table)
        .where(_table.c.registration_id == registration_id)
        .values(
            recipient="",
            recipient_name="",
            subject="",
            body_text="",
            body_html="",
            params={},
            # A mail server's error may quote the address; a withdrawal's
            # reason says why the message did not leave, and nothing personal.
            last_error=case(
                (_table.c.status == "withdrawn", _table.c.last_error), else_=""
            ),
        )
    ).rowcount
    _expire_loaded()
    return scrubbed


def invite_may_be_held(registration_id: int) -> bool:
    """Whether the person may hold a calendar copy that a CANCEL should remove.

    True when a message carrying their invite left (or is leaving), or when
    none was ever queued (a seat given without an email: the copy may come
    from their page or feed). False when every message that would have
    carried it was withdrawn, expired, failed or has not left yet.
    """
    attachment = OutboundAttachment.__table__
    mine = _table.c.registration_id == registration_id
    delivered = exists().where(
        mine,
        attachment.c.email_id == _table.c.id,
        _table.c.status.in_(DELIVERED_STATUSES),
        attachment.c.content_type.like(INVITE_TYPE),
    )
    offered = exists().where(mine, _table.c.template.in_(INVITE_TEMPLATES))
    held, queued = db.session.execute(select(delivered, offered)).one()
    return bool(held or not queued)


def reminder_key_prefix(item_id: int) -> str:
    """The start of the dedup keys of one plan item's messages (messages.dedup_key)."""
    return f"reminder:{item_id}:"


def retime_queued_reminders(event) -> int:
    """Queued reminders and follow-ups of a moved event wait for their new moment.

    Each waits until its plan item's due time from the event's current times
    (a moment already past: it goes now, with a text stating the new time); a
    reminder is never sent after the start. Messages being retried keep their
    back-off; the sender checks them again when they leave. Returns the rows
    re-timed.
    """
    # A reminder is pointless once the event started: at its new start.
    db.session.execute(
        update(_table)
        .where(
            _table.c.event_id == event.id,
            _table.c.composer.in_((REMINDER_COMPOSER, SMS_REMINDER_COMPOSER)),
            _table.c.template.in_(("reminder", "sms_reminder")),
            _table.c.status == "queued",
            or_(_table.c.send_before.is_(None), _table.c.send_before != event.start_at),
        )
        .values(send_before=event.start_at)
    )
    items = db.session.execute(
        select(
            ReminderPlanItem.id,
            ReminderPlanItem.anchor,
            ReminderPlanItem.offset_minutes,
        ).where(ReminderPlanItem.event_id == event.id)
    ).all()
    moved = 0
    for item_id, anchor, offset in items:
        start = event.start_at if anchor == "start" else event.end_at
        try:
            due = start + timedelta(minutes=offset)
        except OverflowError:
            continue
        moved += db.session.execute(
            update(_table)
            .where(
                _table.c.event_id == event.id,
                _table.c.composer.in_((REMINDER_COMPOSER, SMS_REMINDER_COMPOSER)),
                # Waiting for a retry too: it waits for the new moment instead
                # (sent at its retry time, the sender would withdraw it as not
                # yet due, and nothing would queue it again).
                _table.c.status == "queued",
                or_(
                    _table.c.dedup_key.startswith(
                        reminder_key_prefix(item_id), autoescape=True
                    ),
                    _table.c.dedup_key.startswith(
                        "sms:" + reminder_key_prefix(item_id), autoescape=True
                    ),
                ),
                # Only a moment moved later: one already past is due anyway.
                _table.c.next_attempt_at < due,
            )
            .values(next_attempt_at=due)
        ).rowcount
    return moved


def _expire_loaded() -> None:
    """Outbox rows changed behind the session's back are read again when used."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, OutboundEmail):
            db.session.expire(obj)


def hold_queued_for_registrations(
    registration_ids: Iterable[int], templates: Iterable[str], *, until
) -> list[int]:
    """Keep these registrations' queued messages of ``templates`` from leaving
    before ``until`` (an undo window): the ids of the rows held."""
    ids = list(registration_ids)
    if not ids:
        return []
    held = db.session.execute(
        update(_table)
        .where(
            _table.c.registration_id.in_(ids),
            _table.c.template.in_(tuple(templates)),
            _table.c.status == "queued",
            _table.c.next_attempt_at < until,
        )
        .values(next_attempt_at=until)
        .returning(_table.c.id)
    )
    found = sorted(held.scalars())
    _expire_loaded()
    return found


def queued_ids_for_registration(
    registration_id: int, *, keep: Iterable[str] = (ORGANISER_MESSAGE,)
) -> list[int]:
    """The ids ``withdraw_queued_for_registration`` would withdraw now."""
    return sorted(
        db.session.scalars(
            select(_table.c.id).where(
                _table.c.registration_id == registration_id,
                _table.c.status == "queued",
                _table.c.template.not_in(tuple(keep)),
            )
        )
    )


def registration_message_counts(registration_id: int) -> tuple[int, int]:
    """(messages queued to a registration, which an erasure withdraws; the
    others, which it keeps without address or text: scrub_registration_messages)."""
    queued = func.coalesce(func.sum(case((_table.c.status == "queued", 1), else_=0)), 0)
    row = db.session.execute(
        select(queued, func.count()).where(_table.c.registration_id == registration_id)
    ).one()
    return int(row[0]), int(row[1]) - int(row[0])


def withdraw_queued_ids(ids: Iterable[int], *, reason: str) -> int:
    """Withdraw these rows if they are still queued (never deleted: the
    outbox shows them, with the reason)."""
    ids = list(ids)
    if not ids:
        return 0
    return _withdraw([_table.c.id.in_(ids), _table.c.status == "queued"], reason)


def requeue_withdrawn_ids(ids: Iterable[int], *, now) -> int:
    """Queue again rows a change withdrew and an undo has put right; each
    leaves at its own time, or now if that has passed."""
    ids = list(ids)
    if not ids:
        return 0
    requeued = db.session.execute(
        update(_table)
        .where(_table.c.id.in_(ids), _table.c.status == "withdrawn")
        .values(status="queued", last_error="", lease_expires_at=None)
    ).rowcount
    if requeued:
        _expire_loaded()
    return requeued


def statuses_of(ids: Iterable[int]) -> dict[int, str]:
    """The current status of each of these outbox rows."""
    ids = list(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(_table.c.id, _table.c.status).where(_table.c.id.in_(ids))
        ).all()
    )


def queued_reminder_count(event_id: int) -> int:
    """The event's reminders and follow-ups still waiting in the outbox."""
    return db.session.scalar(
        select(func.count(_table.c.id)).where(
            _table.c.event_id == event_id,
            _table.c.composer.in_((REMINDER_COMPOSER, SMS_REMINDER_COMPOSER)),
            _table.c.status == "queued",
        )
    )
