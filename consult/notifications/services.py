"""The outbox: queue an email in the caller's transaction; heartbeats; admin actions.

Services here flush and never commit. ``deliver_outbox`` (in delivery.py, also
importable from here) is the exception: it is a job and commits its own work.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.addresses import email_syntax
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.extensions import db
from consult.languages import composing_for, language_tag
from consult.links import can_build_external_urls, external_url
from consult.notifications.delivery import DeliveryReport, deliver_outbox
from consult.notifications.mime import (
    DISPOSITIONS,
    NAME_MAX,
    SUBJECT_MAX,
    EmailAttachment,
    clean_header_text,
    message_id_for,
)
from consult.notifications.models import (
    OutboundAttachment,
    OutboundEmail,
    SchedulerHeartbeat,
)
from consult.notifications.queued_rows import insert_row_once, queued_row
from consult.notifications.sender import sender_of
from consult.scheduler import JOBS

__all__ = [
    "DeliveryReport",
    "EmailAttachment",
    "deliver_outbox",
    "heartbeat",
    "outbox_page",
    "queue_composed_email",
    "queue_composed_email_id",
    "queue_email",
    "retry_email",
    "scheduler_health",
]

_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


def normalise_recipient(address: str) -> str:
    """A single, syntactically valid address, or ValidationFailed."""
    raw = (address or "").strip()
    if not raw or any(ch in raw for ch in ",;<>\r\n"):
        raise ValidationFailed("Exactly one plain email address is required.", "to")
    normalised, why = email_syntax(raw)
    if not normalised:
        raise ValidationFailed(f"Invalid email address: {why}", "to")
    return normalised


def queue_email(
    *,
    template: str,
    to: str,
    subject: str,
    context: Mapping[str, Any],
    dedup_key: str,
    now: datetime,
    to_name: str = "",
    event=None,
    attachments: Iterable[EmailAttachment] = (),
    send_before: datetime | None = None,
    list_unsubscribe: str = "",
    registration_id: int | None = None,
    language: str | None = None,
) -> OutboundEmail:
    """Insert one email in the caller's transaction; an existing dedup key wins.

    ``language``: the recipient's locale (``consult.languages.composing_for``,
    inside which the caller writes the subject too); the bodies are rendered
    in it and the message says so (Content-Language). None: the site's default.

    ``send_before``: if the message has not left by then, it is never sent and
    is marked "expired" (a reminder that would arrive after the start).
    ``list_unsubscribe``: the one-click unsubscribe URL of an optional message.
    ``registration_id``: the registration the message is to, so that closing
    it withdraws the message and erasing it scrubs the row.
    """
    dedup_key = (dedup_key or "").strip()
    if not dedup_key or len(dedup_key) > 255:
        raise ValidationFailed("A dedup key of 1 to 255 characters is required.")
    existing = _find_by_dedup_key(dedup_key)
    if existing is not None:
        return existing
    attachments = tuple(attachments)
    for attachment in attachments:
        _check_attachment(attachment)
    with composing_for(language) as language:
        body_text, body_html = render_bodies(template, context, language=language)
    sender_name, reply_to = sender_of(event)
    email = OutboundEmail(
        dedup_key=dedup_key,
        message_id=message_id_for(dedup_key, current_app.config["MAIL_DEFAULT_SENDER"]),
        template=template,
        language=language,
        event_id=getattr(event, "id", event),
        registration_id=registration_id,
        recipient=normalise_recipient(to),
        recipient_name=clean_header_text(to_name, NAME_MAX),
        sender_name=sender_name,
        reply_to=reply_to,
        subject=clean_header_text(subject, SUBJECT_MAX),
        body_text=body_text,
        body_html=body_html,
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        composed_at=now,
        last_error="",
        send_before=send_before,
        list_unsubscribe=list_unsubscribe,
    )
    email.attachments = attachment_rows(attachments)
    return _insert_once(email)


def attachment_rows(attachments: Iterable[EmailAttachment]) -> list[OutboundAttachment]:
    """The outbox rows that keep these attachments with their message."""
    return [
        OutboundAttachment(
            filename=a.filename,
            content_type=a.content_type,
            content=a.content,
            disposition=a.disposition,
        )
        for a in attachments
    ]


def queue_composed_email(**values: Any) -> bool:
    """Queue a message that ``composer`` writes when it is sent; False if the key was taken.

    See ``queue_composed_email_id``, which takes the same arguments.
    """
    return queue_composed_email_id(**values) is not None


def queue_composed_email_id(**values: Any) -> int | None:
    """Queue a message that ``composer`` writes when it is sent: its id, None if the key was taken.

    One INSERT in the caller's transaction, with no rendering and no look-up:
    an existing row with the same dedup key (or a concurrent insert of it)
    wins, as with ``queue_email``. Takes ``composed_email_row``'s arguments.
    """
    return insert_row_once(composed_email_row(**values))


def composed_email_row(
    *,
    composer: str,
    to: str,
    subject: str,
    dedup_key: str,
    now: datetime,
    params: Mapping[str, Any] | None = None,
    template: str = "",
    to_name: str = "",
    event_id: int | None = None,
    registration_id: int | None = None,
    send_before: datetime | None = None,
    list_unsubscribe: str = "",
) -> dict[str, Any]:
    """The outbox row of a message that ``composer`` writes when it is sent.

    ``subject`` is shown in the outbox until the message is composed; the
    composer writes the one that is sent. ``template``: the name the outbox
    shows for the kind of message.
    """
    return queued_row(
        dedup_key=dedup_key,
        composer=composer,
        template=template or composer,
        recipient=normalise_recipient(to),
        now=now,
        params=params,
        event_id=event_id,
        registration_id=registration_id,
        send_before=send_before,
        recipient_name=clean_header_text(to_name, NAME_MAX),
        subject=clean_header_text(subject, SUBJECT_MAX),
        list_unsubscribe=list_unsubscribe,
    )


def _insert_once(email: OutboundEmail) -> OutboundEmail:
    # A savepoint, so a concurrent insert of the same key (the unique index
    # makes us wait for it, then refuses ours) leaves the caller's transaction
    # usable; we then return the row the other transaction committed.
    try:
        with db.session.begin_nested():
            db.session.add(email)
    except IntegrityError:
        existing = _find_by_dedup_key(email.dedup_key)
        if existing is None:
            raise
        return existing
    return email


def _find_by_dedup_key(dedup_key: str) -> OutboundEmail | None:
    return db.session.scalar(
        select(OutboundEmail).where(OutboundEmail.dedup_key == dedup_key)
    )


def _site_url() -> str:
    """The site's home page for email footers; '' when it cannot be known.

    Outside a request Flask needs SERVER_NAME to build absolute links.
    """
    return external_url("events.index") if can_build_external_urls() else ""


def render_bodies(
    template: str, context: Mapping[str, Any], *, language: str | None = None
) -> tuple[str, str]:
    """(text, html) from templates/email/<template>.txt and .html (html optional).

    Emails are written for their recipient, not in the language of whoever
    triggered them (and jobs have no request to pick a language from):
    ``language`` is the recipient's locale (None: the site's default), also
    the HTML layout's ``<html lang>``.
    """
    if not _TEMPLATE_NAME.match(template or ""):
        raise ValueError(f"bad email template name {template!r}")
    with composing_for(language) as language:
        values = {"site_url": _site_url(), "lang": language_tag(language), **context}
        text = render_template(f"email/{template}.txt", **values)
        try:
            html = render_template(f"email/{template}.html", **values)
        except TemplateNotFound:
            html = ""
    return text.strip() + "\n", html


def _check_attachment(attachment: EmailAttachment) -> None:
    if attachment.disposition not in DISPOSITIONS:
        raise ValueError(f"unknown disposition {attachment.disposition!r}")
    for value in (attachment.filename, attachment.content_type):
        if "\r" in value or "\n" in value:
            raise ValueError("attachment headers must not contain line breaks")
    if (
        attachment.disposition == "alternative"
        and not attachment.content_type.startswith("text/")
    ):
        raise ValueError("only text parts can be placed inside multipart/alternative")


def heartbeat(job: str, *, now: datetime, status: str = "ok", error: str = "") -> None:
    """Record that a scheduler job ran (upsert by job name)."""
    row = db.session.get(SchedulerHeartbeat, job)
    if row is None:
        row = SchedulerHeartbeat(job=job)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another process wrote it first
            row = db.session.get(SchedulerHeartbeat, job, populate_existing=True)
    row.last_run_at = now
    row.last_status = status[:20]
    row.last_error = error[:2000]
    row.host = socket.gethostname()[:255]
    row.pid = os.getpid()
    db.session.flush()


def retry_email(
    email_id: int, *, now: datetime, event_id: int | None = None
) -> OutboundEmail:
    """Put a failed email back in the queue, due now, with a fresh attempt budget.

    With ``event_id`` only that event's emails qualify (an event organiser's
    retry must not reach another event's mail).
    """
    email = db.session.get(OutboundEmail, email_id)
    if email is None or (event_id is not None and email.event_id != event_id):
        raise NotFound("No such email.")
    if email.status != "failed":
        raise Conflict("Only failed emails can be retried.")
    if not email.retryable:
        raise Conflict(
            "This email cannot be sent as it is, so it is not retried: "
            + email.last_error
        )
    email.status = "queued"
    email.attempts = 0
    email.next_attempt_at = now
    email.lease_expires_at = None
    db.session.flush()
    return email


# A heartbeat row left by a job no longer in JOBS (renamed or removed).
_UNLISTED_JOB_ALLOWANCE = timedelta(seconds=3 * 300 + 60)


@dataclass(frozen=True)
class JobHealth:
    job: str
    last_run_at: datetime
    last_status: str
    last_error: str
    host: str
    pid: int
    stale: bool


def scheduler_health(*, now: datetime) -> list[JobHealth]:
    """Each job's last heartbeat, flagged stale when it is well overdue.

    Each job is allowed silence after its own interval in ``scheduler.JOBS``,
    so a job added there is watched as closely as the others.
    """
    allowances = {job.name: job.allowance(current_app.config) for job in JOBS}
    rows = db.session.scalars(
        select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.job)
    )
    result = []
    for row in rows:
        allowed = allowances.get(row.job, _UNLISTED_JOB_ALLOWANCE)
        result.append(
            JobHealth(
                job=row.job,
                last_run_at=row.last_run_at,
                last_status=row.last_status,
                last_error=row.last_error,
                host=row.host,
                pid=row.pid,
                stale=row.last_run_at < now - allowed or row.last_status != "ok",
            )
        )
    return result


def outbox_page(
    *, status: str | None, page: int, per_page: int = 50, event_id: int | None = None
):
    """One page of the outbox, newest first, by status and event if given."""
    query = (
        select(OutboundEmail)
        .options(selectinload(OutboundEmail.event))
        .order_by(OutboundEmail.id.desc())
    )
    if status:
        query = query.where(OutboundEmail.status == status)
    if event_id is not None:
        query = query.where(OutboundEmail.event_id == event_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def recent_failed_emails(event_id: int, limit: int = 5) -> list[OutboundEmail]:
    """The event's latest failed emails, newest first, for its dashboard."""
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.event_id == event_id, OutboundEmail.status == "failed")
            .order_by(OutboundEmail.id.desc())
            .limit(limit)
        )
    )


def event_outbox_counts(event_id: int) -> dict[str, int]:
    """How many of an event's emails are in each status."""
    rows = db.session.execute(
        select(OutboundEmail.status, func.count(OutboundEmail.id))
        .where(OutboundEmail.event_id == event_id)
        .group_by(OutboundEmail.status)
    )
    return {status: count for status, count in rows}
