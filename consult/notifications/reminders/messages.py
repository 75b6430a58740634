"""The emails a plan item sends: default texts, placeholders, both time zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import select

from consult.content import text_in
from consult.dial_in import dial_in_for
from consult.events.models import Event
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.composers import Composed, register_composer
from consult.notifications.mime import EmailAttachment
from consult.notifications.models import OutboundEmail, ReminderPlanItem
from consult.notifications.reminders.placeholders import fill_placeholders
from consult.notifications.reminders.still_due import check_still_due, plan_item_of
from consult.notifications.services import (
    queue_composed_email_id,
    queue_email,
    render_bodies,
)
from consult.notifications.unsubscribe import list_unsubscribe_url
from consult.registration.models import Registration
from consult.registration.services.emails import (
    addressed_registration,
    confirmation_attachments,
    join_context,
)
from consult.registration.services.tokens import manage_url
from consult.timeutil import format_in_two_zones, now_utc

# Subject and message when the organiser wrote none. Reminders have one
# subject per distance from the start, so the 7-day, 1-day and 1-hour ones
# never look alike; {time_until} keeps each true when it leaves late.
REMINDER_SUBJECTS = (
    # (at least this many minutes before the start, subject)
    (2 * 24 * 60, lambda: _("Coming up {time_until}: {event_title}")),
    (2 * 60, lambda: _("Reminder: {event_title} starts {time_until}")),
    (0, lambda: _("Starting soon: {event_title} begins {time_until}")),
)
DEFAULT_SUBJECTS = {
    "attendees": lambda: _("Thank you for joining {event_title}"),
    "absentees": lambda: _("Sorry we missed you at {event_title}"),
}
DEFAULT_BODIES = {
    "reminder": lambda: _(
        "Hello {first_name},\n\nThis is a reminder that {event_title} starts "
        "{start_local} ({time_until})."
    ),
    # The follow-up email itself lists the slides, the recording and the
    # feedback survey below the message (or says where they will appear).
    "attendees": lambda: _(
        "Hello {first_name},\n\nThank you for taking part in {event_title}."
    ),
    "absentees": lambda: _(
        "Hello {first_name},\n\nWe are sorry we missed you at {event_title}."
    ),
}
TEMPLATES = {"reminder": "reminder", "follow_up": "follow_up"}
# Reminders and follow-ups to registrants are composed by the sender.
COMPOSER = "reminder"
# Bumped when what the composer needs from ``params`` changes.
TEMPLATE_VERSION = 1


def invite_attachments(registration, *, now: datetime) -> tuple[EmailAttachment, ...]:
    """The current calendar invite of a confirmed registrant."""
    return tuple(confirmation_attachments(registration, now=now))


@dataclass(frozen=True)
class RenderedMessage:
    """A plan item's subject and paragraphs for one recipient."""

    subject: str
    paragraphs: list[str]
    when: str
    survey_url: str = ""
    survey_id: int | None = None


def _text_key(item: ReminderPlanItem) -> str:
    return "reminder" if item.kind == "reminder" else item.audience


def default_subject(item: ReminderPlanItem) -> str:
    key = _text_key(item)
    if key in DEFAULT_SUBJECTS:
        return DEFAULT_SUBJECTS[key]()
    before = -item.offset_minutes if item.anchor == "start" else 0
    return next(
        subject for minutes, subject in REMINDER_SUBJECTS if before >= minutes
    )()


def default_body(item: ReminderPlanItem) -> str:
    return DEFAULT_BODIES.get(_text_key(item), DEFAULT_BODIES["reminder"])()


def seated(registration: Registration) -> bool:
    return registration.status == "confirmed"


def _join_url(registration: Registration) -> str:
    return join_context(registration)["join_url"]


def survey_for(item: ReminderPlanItem, registration, *, now: datetime):
    """(survey, the registrant's link) of the open post-event survey a
    follow-up carries; (None, '') when it carries none."""
    if item.kind != "follow_up":
        return None, ""
    # Inline: surveys sits above notifications here (its invitations are queued
    # in the outbox); see tests/test_architecture.py HIDDEN_CYCLES
    from consult.surveys.services.links import personal_survey_url, post_event_survey

    survey = post_event_survey(item.event, now)
    if survey is None or (
        survey.audience == "attendees" and item.audience != "attendees"
    ):
        return None, ""
    return survey, personal_survey_url(survey, registration)


def time_until(event: Event, now: datetime) -> str:
    """'in 2 days', 'dalam 2 hari': the time to the start, in the current language."""
    return format_timedelta(event.start_at - now, add_direction=True)


def placeholder_values(
    registration: Registration,
    event: Event,
    *,
    survey_url: str = "",
    now: datetime | None = None,
) -> dict[str, str]:
    """What each placeholder stands for in this registrant's message."""
    zone = registration.timezone or event.timezone
    return {
        "first_name": (registration.full_name or "").split(" ")[0],
        "event_title": text_in(event, "title"),
        "start_local": format_in_two_zones(event.start_at, zone, event.timezone),
        "join_link": _join_url(registration) if seated(registration) else "",
        "manage_link": manage_url(registration),
        "event_link": external_url("events.detail", slug=event.slug),
        "slides_link": event.slides_url or "",
        "recording_link": event.recording_url or "",
        "survey_link": survey_url,
        "time_until": time_until(event, now or now_utc()),
    }


@dataclass(frozen=True)
class Material:
    """A link a follow-up offers: the slides, the recording, the survey."""

    label: str
    url: str


def follow_up_materials(
    item: ReminderPlanItem, event: Event, survey_url: str = ""
) -> list[Material]:
    """What the follow-up links to; absentees get the recording, not the slides."""
    materials = []
    if event.slides_url and item.audience != "absentees":
        materials.append(Material(_("Slides"), event.slides_url))
    if event.recording_url:
        materials.append(Material(_("Recording"), event.recording_url))
    if survey_url:
        materials.append(Material(_("Feedback survey"), survey_url))
    return materials


def render_for(
    item: ReminderPlanItem, registration: Registration, *, now: datetime
) -> RenderedMessage:
    """Subject and message of the item for one registrant (also the preview)."""
    event = item.event
    survey, survey_url = survey_for(item, registration, now=now)
    values = placeholder_values(registration, event, survey_url=survey_url, now=now)
    subject = fill_placeholders(item.text("subject") or default_subject(item), values)
    body = fill_placeholders(item.text("body") or default_body(item), values)
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n")]
    return RenderedMessage(
        subject,
        [p for p in paragraphs if p],
        values["start_local"],
        survey_url,
        survey.id if survey is not None else None,
    )


def email_context(item: ReminderPlanItem, registration: Registration, message):
    """Template context of a reminder or follow-up email."""
    event = item.event
    zone = registration.timezone or event.timezone
    # Reminders carry the join link and dial-in numbers, to confirmed people.
    joins = item.kind == "reminder" and seated(registration)
    return {
        "registration": registration,
        "event": event,
        "paragraphs": message.paragraphs,
        "when": format_in_two_zones(event.start_at, zone, event.timezone),
        "ends": format_in_two_zones(event.end_at, zone, event.timezone),
        **join_context(registration if joins else None),
        "dial_in": dial_in_for(event, registration.country) if joins else None,
        "manage_url": manage_url(registration),
        "materials": follow_up_materials(item, event, message.survey_url)
        if item.kind == "follow_up" else [],
        "event_url": external_url("events.detail", slug=event.slug),
    }  # fmt: skip


def preview(
    item: ReminderPlanItem, registration: Registration, *, now: datetime
) -> dict[str, str]:
    """Subject, text and HTML of the email as this registrant would receive it
    (in their language)."""
    with composing_for(registration) as language:
        message = render_for(item, registration, now=now)
        text, html = render_bodies(
            TEMPLATES[item.kind],
            email_context(item, registration, message),
            language=language,
        )
    return {"subject": message.subject, "text": text, "html": html}


def dedup_key(item: ReminderPlanItem, target: str) -> str:
    """`reminder:<item>:<registration>`; organisers' nudges use `u<user id>`."""
    return f"reminder:{item.id}:{target}"


def queue_for_registrant(item: ReminderPlanItem, registration, *, now: datetime):
    """Queue the item's email to one registrant; the id of its row (or of the one
    already queued under its dedup key).

    One INSERT and no rendering: the sender composes the message when it
    leaves (``compose_reminder``), from the registration and event as they are
    then, or withdraws it when it is no longer right.
    """
    event = item.event
    key = dedup_key(item, str(registration.id))
    email_id = queue_composed_email_id(
        composer=COMPOSER,
        template=TEMPLATES[item.kind],
        to=registration.email,
        to_name=registration.full_name,
        subject=_queued_subject(item, registration, now=now),
        params={"item": item.id, "kind": item.kind, "version": TEMPLATE_VERSION},
        dedup_key=key,
        now=now,
        event_id=event.id,
        registration_id=registration.id,
        # A reminder that cannot leave before the start is never sent late.
        send_before=event.start_at if item.kind == "reminder" else None,
        list_unsubscribe=list_unsubscribe_url(registration),
    )
    if email_id is None:
        return db.session.scalar(
            select(OutboundEmail.id).where(OutboundEmail.dedup_key == key)
        )
    survey, _url = survey_for(item, registration, now=now)
    if survey is not None:
        # The follow-up carries the survey's link: the person's survey
        # reminders count from it. Inline for the reason given in survey_for.
        from consult.surveys.services.invitations import record_invitation

        record_invitation(
            survey.id, registration.id, now=now, via="follow_up", email_id=email_id
        )
    return email_id


def _queued_subject(item: ReminderPlanItem, registration, *, now: datetime) -> str:
    """The subject the outbox shows until the message is composed."""
    event = item.event
    zone = registration.timezone or event.timezone
    values = {
        "first_name": (registration.full_name or "").split(" ")[0],
        "event_title": text_in(event, "title"),
        "start_local": format_in_two_zones(event.start_at, zone, event.timezone),
        "time_until": time_until(event, now),
    }
    return fill_placeholders(item.text("subject") or default_subject(item), values)


def compose_reminder(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued reminder or follow-up, from the facts as they are now.

    Withdrawn when it is no longer right: the plan item was removed or switched
    off, the person erased their data, changed address or is no longer in the
    item's audience (a reminder with the join link needs a confirmed seat), the
    event was cancelled or started, or it moved so that this message is not
    due yet.
    """
    item = plan_item_of(row)
    registration = addressed_registration(row)
    check_still_due(item, registration, now=now)
    # The default texts, the dates and the invite in the person's language;
    # the organiser's own subject and message as written.
    with composing_for(registration) as language:
        message = render_for(item, registration, now=now)
        text, html = render_bodies(
            TEMPLATES[item.kind],
            email_context(item, registration, message),
            language=language,
        )
        attachments: tuple[EmailAttachment, ...] = ()
        if item.kind == "reminder" and seated(registration):
            attachments = invite_attachments(registration, now=now)
    return Composed(
        subject=message.subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
        language=language,
    )


def queue_for_organiser(
    item: ReminderPlanItem,
    user,
    *,
    now: datetime,
    target: str = "",
    expires_at: datetime | None = None,
):
    """Queue the 'record the attendance' nudge to one organiser.

    ``target`` names the repetition (``u<id>`` the first day, ``u<id>-<n>``
    after); ``expires_at`` is when the first follow-up waiting for the
    attendance is dropped, stated in the organiser's email.
    """
    event = item.event
    with composing_for(user) as language:
        return queue_email(
            template="reminder_organiser_nudge",
            to=user.email,
            to_name=user.name,
            subject=_(
                "Record the attendance of %(title)s", title=text_in(event, "title")
            ),
            context={
                "event": event,
                "user": user,
                "body": fill_placeholders(
                    item.text("body"), {"event_title": text_in(event, "title")}
                ),
                "attendance_url": external_url(
                    "registration.attendance_import", slug=event.slug
                ),
                "expires": format_in_two_zones(
                    expires_at, event.timezone, event.timezone
                )
                if expires_at is not None and expires_at > now
                else "",
            },
            dedup_key=dedup_key(item, target or f"u{user.id}"),
            now=now,
            event=event,
            language=language,
        )


register_composer(COMPOSER, compose_reminder)
