"""The organiser's controls over an event's messages: pause and resume, test
sends to oneself, cancelling queued messages.

Services: they take the actor and ``now``, flush and never commit. Like the
rest of the notifications area (plan edits, retries), they act on an event the
route has already checked the actor manages (``managed_event_or_404``):
importing ``events.access`` here would close an import cycle between areas
(auth -> notifications -> events -> auth, tests/test_architecture.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update

from consult.errors import Conflict, NotFound, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.models import (
    SCHEDULED_TEMPLATES,
    TEST_SEND_PREFIX,
    OutboundEmail,
    ReminderDispatch,
    ReminderPlanItem,
)
from consult.notifications.reminders.catch_up import (
    AFTER_EVENT_GRACE,
    later_due_reminders,
    skip_reason,
)
from consult.notifications.reminders.messages import (
    TEMPLATES,
    email_context,
    render_for,
)
from consult.notifications.reminders.placeholders import fill_placeholders
from consult.notifications.reminders.plans import due_at
from consult.notifications.services import queue_email
from consult.registration.models import Registration

# An organiser may send themself this many test emails per window.
TEST_SEND_LIMIT = 5
TEST_SEND_WINDOW = timedelta(minutes=10)
TEST_SUBJECT_PREFIX = "[Test] "


# -- pause and resume --------------------------------------------------------


@dataclass(frozen=True)
class ResumeReport:
    """What resuming did with the messages held meanwhile."""

    released: int
    withdrawn: int


def pause_messages(event: Event, actor, *, now: datetime) -> bool:
    """Pause the event's scheduled messages; False if they were paused already.

    While paused the reminder engine and the survey reminders decide nothing
    for the event, and its queued scheduled messages stay in the queue
    (``delivery.held_while_paused``). Registration emails still go out.
    """
    if event.messages_paused_at is not None:
        return False
    event.messages_paused_at = now
    event.messages_paused_by_id = actor.id
    db.session.flush()
    return True


def _held_rows(event: Event) -> list[OutboundEmail]:
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(
                OutboundEmail.event_id == event.id,
                OutboundEmail.status == "queued",
                OutboundEmail.template.in_(SCHEDULED_TEMPLATES),
                ~OutboundEmail.dedup_key.startswith(TEST_SEND_PREFIX),
            )
            .order_by(OutboundEmail.id)
        )
    )


def resume_messages(event: Event, actor, *, now: datetime) -> ResumeReport:
    """Resume the event's scheduled messages, with the usual catch-up.

    A message held meanwhile is sent only if the engine, deciding it now,
    would still send it (``catch_up.skip_reason``: not after the start, not
    too late), and a held reminder is dropped when a later reminder of the
    plan is due by now: the person gets the latest one, which the engine
    queues on its next run. Dropped messages are withdrawn with the reason.
    What was never queued is decided by the engine's next run, by its rules.
    """
    if event.messages_paused_at is None:
        raise Conflict(_("The scheduled messages of this event are not paused."))
    held = _held_rows(event)
    dispatches = {
        d.email_id: d
        for d in db.session.scalars(
            select(ReminderDispatch).where(
                ReminderDispatch.email_id.in_([row.id for row in held])
            )
        )
    }
    withdrawn = 0
    for row in held:
        dispatch = dispatches.get(row.id)
        if dispatch is None:
            continue  # a survey reminder: still right while the survey is open
        reason = _catch_up_reason(dispatch, event, now=now)
        if reason:
            row.status = "withdrawn"
            row.last_error = _(
                "Not sent: held while the event's messages were paused, "
                "and on resuming: %(reason)s",
                reason=reason,
            )
            withdrawn += 1
    event.messages_paused_at = None
    event.messages_paused_by_id = None
    db.session.flush()
    return ResumeReport(released=len(held) - withdrawn, withdrawn=withdrawn)


def _catch_up_reason(dispatch: ReminderDispatch, event: Event, *, now) -> str:
    """Why a held message must not go now, judged as the engine would judge
    it today: from the event's current times (it may have moved during the
    pause), against the plan's later reminders that reach this person."""
    item = dispatch.plan_item
    if dispatch.registration_id is None:
        # An organiser's nudge: as the engine, not more than a week late.
        if now > dispatch.due_at + AFTER_EVENT_GRACE:
            return _("more than a week overdue")
        return ""
    registration = db.session.get(Registration, dispatch.registration_id)
    if registration is None or registration.erased_at is not None:
        return _("the registration was erased")
    return skip_reason(
        item,
        registration,
        due_at(item, event),
        now=now,
        later=later_due_reminders(item, event, now=now),
    )


def held_count(event: Event) -> int:
    """How many of the event's queued messages wait for the pause to end."""
    if event.messages_paused_at is None:
        return 0
    return len(_held_rows(event))


# -- test sends --------------------------------------------------------------


def sample_registration(event: Event, actor, *, now: datetime) -> Registration:
    """The organiser as a registrant: made up, never saved, no real person's links."""
    sample = Registration(
        id=0,
        event_id=event.id,
        full_name=actor.name or actor.email,
        email=actor.email,
        status="confirmed",
        timezone=event.timezone,
        manage_nonce="test-send",
        created_at=now,
    )
    sample.event = event
    if sample in db.session:
        db.session.expunge(sample)
    return sample


def _recent_tests(actor, *, now: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count(OutboundEmail.id)).where(
                OutboundEmail.dedup_key.startswith(
                    f"{TEST_SEND_PREFIX}{actor.id}:", autoescape=True
                ),
                OutboundEmail.created_at > now - TEST_SEND_WINDOW,
            )
        )
        or 0
    )


def check_test_budget(actor, *, now: datetime) -> None:
    """Refuse a test send to an organiser without an address, or past
    ``TEST_SEND_LIMIT`` test emails in ``TEST_SEND_WINDOW``."""
    if not actor.email:
        raise ValidationFailed(_("Your account has no email address to send to."))
    recent = _recent_tests(actor, now=now)
    if recent >= TEST_SEND_LIMIT:
        minutes = int(TEST_SEND_WINDOW.total_seconds() // 60)
        raise Conflict(
            ngettext(
                "You have sent %(num)d test email in the last %(minutes)d "
                "minutes; please wait before sending another.",
                "You have sent %(num)d test emails in the last %(minutes)d "
                "minutes; please wait before sending another.",
                recent,
                minutes=minutes,
            )
        )


def key_for_test_send(actor, what: object) -> str:
    """A fresh dedup key for a test send to ``actor`` (never held, never withdrawn)."""
    return f"{TEST_SEND_PREFIX}{actor.id}:{what}:{secrets.token_hex(8)}"


def send_test(
    event: Event, item: ReminderPlanItem, actor, *, now: datetime
) -> OutboundEmail:
    """Queue the item's email to the organiser, as a sample recipient, "[Test]" first.

    At most ``TEST_SEND_LIMIT`` test emails per organiser in ``TEST_SEND_WINDOW``.
    """
    if item.event_id != event.id:
        raise NotFound(_("No such plan item."))
    check_test_budget(actor, now=now)
    key = key_for_test_send(actor, item.id)
    # To the organiser: in their own language.
    with composing_for(actor) as language:
        if item.audience == "organisers":
            template = "reminder_organiser_nudge"
            subject = _("Record the attendance of %(title)s", title=event.title)
            context = {
                "event": event,
                "user": actor,
                "body": fill_placeholders(item.body, {"event_title": event.title}),
                "attendance_url": external_url(
                    "registration.attendance_import", slug=event.slug
                ),
            }
        else:
            sample = sample_registration(event, actor, now=now)
            message = render_for(item, sample, now=now)
            template = TEMPLATES[item.kind]
            subject = message.subject
            context = email_context(item, sample, message)
        return queue_email(
            template=template,
            to=actor.email,
            to_name=actor.name or "",
            subject=TEST_SUBJECT_PREFIX + subject,
            context=context,
            dedup_key=key,
            now=now,
            event=event,
            language=language,
        )


# -- cancelling queued messages ----------------------------------------------


def queued_templates(event: Event) -> list[str]:
    """The kinds (templates) of the event's queued messages, for "cancel all of a kind"."""
    return list(
        db.session.scalars(
            select(OutboundEmail.template)
            .where(OutboundEmail.event_id == event.id, OutboundEmail.status == "queued")
            .distinct()
            .order_by(OutboundEmail.template)
        )
    )


def cancel_queued(
    event: Event,
    actor,
    *,
    now: datetime,
    ids: Iterable[int] = (),
    template: str = "",
) -> int:
    """Withdraw queued messages of the event: these ``ids``, or all of ``template``.

    Only messages still queued are withdrawn (one being sent right now is
    not), each with the reason "cancelled by <organiser>". Returns how many.
    """
    ids = sorted({int(i) for i in ids})
    if not ids and not template:
        raise ValidationFailed(_("Choose the messages to cancel."), "ids")
    if template and template not in queued_templates(event):
        raise ValidationFailed(_("No queued messages of this kind."), "template")
    condition = OutboundEmail.id.in_(ids) if ids else OutboundEmail.template == template
    cancelled = db.session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.event_id == event.id,
            OutboundEmail.status == "queued",
            condition,
        )
        .values(
            status="withdrawn",
            last_error=_(
                "Cancelled by %(name)s on %(when)s UTC",
                name=actor.name or actor.email,
                when=f"{now:%Y-%m-%d %H:%M}",
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not cancelled:
        raise Conflict(_("None of these messages is queued any more."))
    db.session.flush()
    return cancelled
