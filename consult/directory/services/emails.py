"""Meeting request emails, composed by the sender when they leave.

``request``: to the recipient, naming the sender, never their address.
``accepted``: to each side, with the other's name and address and an invite
(.ics) for the agreed slot written in the reader's own time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from icalendar import Event as VEvent
from icalendar import vCalAddress

from consult.calendar.ics import new_calendar, serialise, uid_domain, zoned
from consult.content import text_in
from consult.directory.models import MEETING_MINUTES, MeetingRequest
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.composers import Composed, Withdrawn, register_composer
from consult.notifications.mime import EmailAttachment
from consult.notifications.models import OutboundEmail
from consult.notifications.services import queue_composed_email, render_bodies
from consult.registration.services.tokens import manage_token

COMPOSER = "meeting-request"
TEMPLATES = {"request": "meeting_request", "accepted": "meeting_accepted"}


def _subject(kind: str, request: MeetingRequest, other) -> str:
    if kind == "request":
        return _("%(name)s would like to meet you", name=other.full_name)
    return _("Your meeting with %(name)s is agreed", name=other.full_name)


def _queue(request: MeetingRequest, kind: str, to, other, *, now: datetime) -> bool:
    with composing_for(to):
        subject = _subject(kind, request, other)
    return queue_composed_email(
        composer=COMPOSER,
        template=TEMPLATES[kind],
        to=to.email,
        to_name=to.full_name,
        subject=subject,
        params={"kind": kind, "request": request.id, "to": to.id},
        dedup_key=f"meeting:{request.id}:{kind}:{to.id}",
        event_id=request.event_id,
        registration_id=to.id,
        now=now,
    )


def queue_request_email(request: MeetingRequest, *, now: datetime) -> bool:
    """Tell the recipient (without the sender's address)."""
    if not request.recipient.email:
        return False
    return _queue(request, "request", request.recipient, request.sender, now=now)


def queue_acceptance_emails(request: MeetingRequest, *, now: datetime) -> None:
    """Each side gets the other's address and an invite in their own zone."""
    for to, other in (
        (request.sender, request.recipient),
        (request.recipient, request.sender),
    ):
        if to.email:
            _queue(request, "accepted", to, other, now=now)


def meeting_calendar(request: MeetingRequest, reader, *, now: datetime) -> bytes:
    """The agreed meeting as an iCalendar file, in the reader's time zone."""
    zone = reader.timezone or request.event.timezone
    start = request.agreed_start_at
    component = VEvent()
    component.add("uid", f"meeting-{request.id}@{uid_domain()}")
    component.add("dtstamp", now)
    component.add("sequence", 0)
    component.add("dtstart", zoned(start, zone))
    component.add("dtend", zoned(start + timedelta(minutes=MEETING_MINUTES), zone))
    component.add(
        "summary",
        _(
            "Meeting: %(first)s and %(second)s",
            first=request.sender.full_name,
            second=request.recipient.full_name,
        ),
    )
    component.add("description", text_in(request.event, "title"))
    for person in (request.sender, request.recipient):
        if person.email:
            address = vCalAddress(f"mailto:{person.email}")
            address.params["CN"] = person.full_name
            component.add("attendee", address)
    calendar = new_calendar("PUBLISH")
    calendar.add_component(component)
    return serialise(calendar)


def _people(row: OutboundEmail, request: MeetingRequest):
    to_id = (row.params or {}).get("to")
    if to_id == request.sender_id:
        return request.sender, request.recipient
    return request.recipient, request.sender


def compose_meeting_email(row: OutboundEmail, now: datetime) -> Composed:
    """The text of a queued meeting email, from the request as it is now."""
    params = row.params or {}
    kind = params.get("kind")
    if kind not in TEMPLATES:
        raise ValueError(f"unknown meeting email {kind!r}")
    request = db.session.get(MeetingRequest, params.get("request") or 0)
    if request is None:
        raise Withdrawn(_("The meeting request was deleted before this message left."))
    to, other = _people(row, request)
    if to.erased_at or not to.email:
        raise Withdrawn(_("The recipient's data was erased before this message left."))
    if kind == "request" and request.status != "pending":
        raise Withdrawn(_("The request was answered before this message left."))
    if kind == "accepted" and other.erased_at:
        raise Withdrawn(
            _("The other person's data was erased before this message left.")
        )
    return meeting_email_text(request, kind, to, other, now=now)


def meeting_email_text(request, kind: str, to, other, *, now: datetime) -> Composed:
    """One meeting email for ``to`` about ``other`` (no check that it fits)."""
    event = request.event
    with composing_for(to) as language:
        context = {
            "request": request,
            "event": event,
            "to": to,
            "other": other,
            "viewer_zone": to.timezone or event.timezone,
            "other_zone": other.timezone or event.timezone,
            "requests_url": external_url(
                "directory.requests", slug=event.slug, token=manage_token(to)
            ),
        }
        body_text, body_html = render_bodies(
            TEMPLATES[kind], context, language=language
        )
        subject = _subject(kind, request, other)
        attachments = ()
        if kind == "accepted":
            content = meeting_calendar(request, to, now=now)
            attachments = (
                EmailAttachment(
                    filename="meeting.ics",
                    content_type="text/calendar; method=PUBLISH; charset=UTF-8",
                    content=content,
                    disposition="attachment",
                ),
            )
    return Composed(
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        language=language,
    )


register_composer(COMPOSER, compose_meeting_email)
