"""Reminders and follow-ups by SMS: the plan item's SMS text, to people who
gave a mobile number and chose SMS.

The engine decides once per person and item (``ReminderDispatch``); a
decision to send queues the email (to people with an address) and the SMS
(to people who chose SMS, when the item has an SMS text), each its own outbox
row. The SMS is composed when it leaves, in the person's language (the
organiser's text in that language when they wrote one), with the same
placeholders ({manage_link} is the short link), and withdrawn like the email
when it is no longer right, or when the person stopped SMS.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.composers import Composed, Withdrawn, register_composer
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders.messages import (
    dedup_key,
    placeholder_values,
    queue_for_registrant,
)
from consult.notifications.reminders.placeholders import fill_placeholders
from consult.notifications.reminders.still_due import check_still_due, plan_item_of
from consult.notifications.sms.outbox import queue_composed_sms
from consult.notifications.withdrawals import SMS_REMINDER_COMPOSER
from consult.registration.services.sms import texted_registration
from consult.registration.services.tokens import short_manage_url

# The re-timing of a moved event names it too (withdrawals.py).
COMPOSER = SMS_REMINDER_COMPOSER
TEMPLATES = {"reminder": "sms_reminder", "follow_up": "sms_follow_up"}


def texts_by_sms(item: ReminderPlanItem, registration) -> bool:
    """Whether the item goes to this person by SMS."""
    return bool(item.sms_body) and registration.sms_allowed


def queue_for_registrant_by_any(item: ReminderPlanItem, registration, *, now):
    """Queue the item's email and/or SMS to one registrant; the id of the
    email's row, or of the SMS's for a person reached by SMS only."""
    email_id = (
        queue_for_registrant(item, registration, now=now)
        if registration.email
        else None
    )
    if not texts_by_sms(item, registration):
        return email_id
    key = "sms:" + dedup_key(item, str(registration.id))
    event = item.event
    sms_id = queue_composed_sms(
        composer=COMPOSER,
        template=TEMPLATES[item.kind],
        to=registration.phone,
        params={"item": item.id, "kind": item.kind},
        dedup_key=key,
        now=now,
        event_id=event.id,
        registration_id=registration.id,
        send_before=event.start_at if item.kind == "reminder" else None,
    )
    if sms_id is None:
        sms_id = db.session.scalar(
            select(OutboundEmail.id).where(OutboundEmail.dedup_key == key)
        )
    return email_id if email_id is not None else sms_id


def compose_reminder_sms(row: OutboundEmail, now: datetime) -> Composed:
    """The SMS of a queued reminder or follow-up, from the facts as they are now."""
    item = plan_item_of(row)
    if not item.sms_body:
        raise Withdrawn(_("The organiser removed the SMS text before it left."))
    registration = texted_registration(row)
    event = check_still_due(item, registration, now=now)
    with composing_for(registration) as language:
        values = placeholder_values(registration, event, now=now)
        values["manage_link"] = short_manage_url(registration)
        text = fill_placeholders(item.text("sms_body"), values)
    return Composed(subject="", body_text=text, body_html="", language=language)


register_composer(COMPOSER, compose_reminder_sms)
