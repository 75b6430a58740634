"""The thank-you page after registering: its link, its facts, and "send it again".

The page is shown to whoever just submitted the form. It gives the status,
the times, calendar links and the next steps, but never a personal link (the
manage link, the join link, a survey link): those go only to the address or
number given, so a mistyped or borrowed address opens nothing here. The page
carries a short-lived signed link of its own (``thanks_token``), good for
seeing the page again and for asking for the confirmation again, and only
for a registration that submission created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.calendar.links import web_calendar_links
from consult.errors import Conflict, NotFound
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.next_steps import NextSteps, next_steps
from consult.registration.services.result import RegistrationResult
from consult.signing import BadToken, load, nonce_is_current, sign
from consult.timeutil import format_range

PURPOSE = "registration-thanks"
# How long the page's own link works: long enough to wait for an email.
THANKS_SECONDS = 3600
# "Didn't arrive?": at most this many resends, at least this far apart.
MAX_RESENDS = 3
RESEND_INTERVAL_SECONDS = 120
# The message a resend repeats, for each status a new registration can have.
RESENT_KIND = {
    "confirmed": "confirmed",
    "waitlisted": "waitlisted",
    "pending": "pending",
}


def thanks_token(registration_id: int, nonce: str) -> str:
    """The thank-you page's own link token (expires after THANKS_SECONDS)."""
    return sign(PURPOSE, {"id": registration_id, "n": nonce})


def registration_from_thanks_token(token: str) -> Registration:
    """The registration a thank-you link names; NotFound when bad, expired or revoked."""
    try:
        payload = load(PURPOSE, token, max_age=THANKS_SECONDS)
    except BadToken:
        raise NotFound("registration") from None
    if not isinstance(payload, dict):
        raise NotFound("registration")
    row_id, nonce = payload.get("id"), payload.get("n")
    if not isinstance(row_id, int) or not isinstance(nonce, str):
        raise NotFound("registration")
    registration = db.session.get(Registration, row_id)
    if registration is None or not nonce_is_current(registration.manage_nonce, nonce):
        raise NotFound("registration")
    return registration


def _resend_keys(registration: Registration) -> str:
    # Email keys start "registration:<id>:", SMS keys "sms:registration:<id>:".
    return f"%registration:{registration.id}:%:resend%"


def resend_confirmation(registration: Registration, *, now: datetime) -> str:
    """Queue the registration's message again; returns where it goes.

    Conflict, with the reason, when the registration is no longer one the
    message fits, when it was sent again less than RESEND_INTERVAL_SECONDS
    ago, or MAX_RESENDS times already. The outbox's dedup key numbers each
    resend, so a double click queues one message.
    """
    kind = RESENT_KIND.get(registration.status)
    if kind is None or registration.erased_at is not None:
        raise Conflict(_("This registration is no longer active: nothing to resend."))
    if not registration.email and not registration.sms_allowed:
        raise Conflict(
            _("We have no address or number we may write to for this registration.")
        )
    count, last = db.session.execute(
        select(func.count(), func.max(OutboundEmail.created_at)).where(
            OutboundEmail.registration_id == registration.id,
            OutboundEmail.dedup_key.like(_resend_keys(registration)),
            OutboundEmail.channel == ("email" if registration.email else "sms"),
        )
    ).one()
    if count >= MAX_RESENDS:
        raise Conflict(
            ngettext(
                "We have already sent it again %(num)d time. If it still has not "
                "arrived, check the address above or contact the organiser.",
                "We have already sent it again %(num)d times. If it still has not "
                "arrived, check the address above or contact the organiser.",
                MAX_RESENDS,
            )
        )
    if last is not None and last > now - timedelta(seconds=RESEND_INTERVAL_SECONDS):
        raise Conflict(
            ngettext(
                "We sent it again less than %(num)d minute ago. Messages can "
                "take a few minutes: please wait, and check your spam folder.",
                "We sent it again less than %(num)d minutes ago. Messages can "
                "take a few minutes: please wait, and check your spam folder.",
                RESEND_INTERVAL_SECONDS // 60,
            )
        )
    extra = None
    if kind == "waitlisted":
        extra = {"waitlist_place": registration.waitlist_place}
    queue_registration_email(
        registration, kind, now=now, extra=extra, dedup_suffix=f"resend{count + 1}"
    )
    return registration.email or registration.phone


@dataclass(frozen=True)
class EventTimes:
    """The event's times as every registrant reads them in one language."""

    there: str  # in the event's zone, with its city and UTC offset
    utc: str
    calendar: dict[str, str]


_KEPT = "consult.registration_thanks_times"
_KEPT_MAX = 512


def event_times(event) -> EventTimes:
    """The event's times and calendar links, kept per process.

    The same for every registrant of an event in one language, so each
    process keeps them per event, version and language: every edit of the
    event bumps its ``registration_version`` (form_data.py), and the copy the
    registration used carries it.
    """
    key = (event.id, event.registration_version, event.created_at, str(get_locale()))
    kept = current_app.extensions.setdefault(_KEPT, {})
    times = kept.get(key)
    if times is None:
        times = EventTimes(
            there=_in_zone_or_utc(event),
            utc=format_range(event.start_at, event.end_at, "UTC"),
            calendar=web_calendar_links(event),
        )
        if len(kept) >= _KEPT_MAX:
            kept.clear()  # bounded; refilled by the next requests
        kept[key] = times
    return times


def _in_zone_or_utc(event) -> str:
    try:
        return format_range(event.start_at, event.end_at, event.timezone)
    except OverflowError:  # stored before dates were bounded: shown in UTC
        return format_range(event.start_at, event.end_at, "UTC")


@dataclass(frozen=True)
class ThanksPage:
    """Everything the thank-you page shows beyond the outcome's own wording."""

    token: str | None  # the page's own link; None when no registration was created
    address: str  # where the message went: the email, or the phone number
    by_sms: bool
    visitor_zone: str | None  # the person's zone, when it is not the event's
    times: EventTimes
    steps: NextSteps


def thanks_page(event, result: RegistrationResult, *, now: datetime) -> ThanksPage:
    """The thank-you page's facts, from the outcome and the cached event: no query
    beyond the next steps' per-process facts."""
    zone = result.timezone if result.timezone != event.timezone else None
    created = result.created and bool(result.manage_nonce)
    return ThanksPage(
        token=thanks_token(result.registration_id, result.manage_nonce)
        if created
        else None,
        address=result.email or result.phone,
        by_sms=not result.email,
        visitor_zone=zone or None,
        times=event_times(event),
        steps=next_steps(event.id, result.status, result.type_id, now=now),
    )


def result_of(registration: Registration) -> RegistrationResult:
    """The outcome to show again on the thank-you page's own link."""
    return RegistrationResult(registration, created=True)
