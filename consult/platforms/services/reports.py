"""Attendance from the platform: the participants report, fetched by the job
after the event and kept as the CSV Zoom itself exports, so that it goes
through the same matching and preview as an uploaded report
(consult/registration/attendance)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from consult.database import is_postgresql
from consult.errors import Conflict, ValidationFailed
from consult.extensions import db
from consult.platforms.adapters.base import Meeting, Participant, PlatformError
from consult.platforms.models import PlatformLink
from consult.platforms.services.linking import link_of
from consult.platforms.services.retries import gives_up, next_try

# The columns of Zoom's own participants export, which the import reads.
CSV_HEADER = (
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
)
CSV_TIME = "%Y-%m-%d %H:%M:%S"
CSV_ZONE = "UTC"


@dataclass(frozen=True)
class ReportWork:
    link_id: int
    platform: str
    meeting: Meeting


def request_report(event, *, now: datetime) -> PlatformLink:
    """Ask the job to fetch the participants report (after the event has started)."""
    link = link_of(event)
    if link is None or link.state != "ready":
        raise Conflict(_("The event has no meeting on a platform yet."))
    if not link.has_report:
        raise ValidationFailed(
            _("Jitsi Meet has no participants report: use check-in or a CSV report.")
        )
    if now < event.start_at:
        raise ValidationFailed(
            _("The participants report can be fetched once the event has started.")
        )
    if link.report_state == "pending":
        return link
    link.report_state = "pending"
    link.report_requested_at = now
    link.report_next_attempt_at = now
    link.report_attempts = 0
    link.report_error = ""
    db.session.flush()
    return link


def claim_due_reports(*, now: datetime, lease_seconds: int) -> list[ReportWork]:
    query = (
        select(PlatformLink)
        .where(
            PlatformLink.report_state == "pending",
            PlatformLink.report_next_attempt_at <= now,
        )
        .order_by(PlatformLink.id)
        .limit(5)
    )
    if is_postgresql(db.session):
        query = query.with_for_update(skip_locked=True)
    work = []
    for link in db.session.scalars(query):
        link.report_next_attempt_at = now + timedelta(seconds=lease_seconds)
        work.append(
            ReportWork(link.id, link.platform, Meeting(link.kind, link.meeting_id, ""))
        )
    db.session.flush()
    return work


def record_report(
    link_id: int, participants: list[Participant], *, now: datetime
) -> str:
    link = db.session.get(PlatformLink, link_id, populate_existing=True)
    if link is None or link.report_state != "pending":
        return "gone"
    link.report_csv = participants_csv(participants)
    link.report_state = "ready"
    link.report_fetched_at = now
    link.report_next_attempt_at = None
    link.report_error = ""
    db.session.flush()
    return f"{len(participants)} joins"


def record_report_failure(
    link_id: int, error: PlatformError, *, now: datetime, max_attempts: int
) -> str:
    link = db.session.get(PlatformLink, link_id, populate_existing=True)
    if link is None or link.report_state != "pending":
        return "gone"
    if error.retry_after is None:
        link.report_attempts += 1
    link.report_error = error.message[:2000]
    if gives_up(error, link.report_attempts, max_attempts):
        link.report_state = "failed"
        link.report_next_attempt_at = None
    else:
        link.report_next_attempt_at = next_try(error, link.report_attempts, now=now)
    db.session.flush()
    return link.report_state


def participants_csv(participants: Iterable[Participant]) -> bytes:
    """The report as Zoom exports it: one line per join, times in UTC."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for person in participants:
        writer.writerow(
            (
                _cell(person.name),
                _cell(person.email),
                _time(person.join_time),
                _time(person.leave_time),
                math.ceil(max(person.seconds, 0) / 60),
            )
        )
    return out.getvalue().encode("utf-8")


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime(CSV_TIME) if value else ""


def _cell(value: str) -> str:
    return " ".join(value.split())
