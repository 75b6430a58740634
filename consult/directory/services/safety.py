"""Blocks and reports, and the organisers' answer to a report."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select, update

from consult.directory.models import (
    REASON_MAX,
    DirectoryBlock,
    DirectoryProfile,
    DirectoryReport,
    MeetingRequest,
)
from consult.directory.services.listing import visible_person
from consult.errors import NotFound, ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration


def _someone_known(registration: Registration, other_id: int) -> Registration:
    """Another person of the same event whom the participant has met through
    the directory: listed, or in a request either way; NotFound otherwise."""
    other = db.session.get(Registration, other_id)
    if other is None or other.id == registration.id:
        raise NotFound(_("This person is not in the directory."))
    in_request = db.session.scalar(
        select(MeetingRequest.id).where(
            or_(
                (MeetingRequest.sender_id == registration.id)
                & (MeetingRequest.recipient_id == other.id),
                (MeetingRequest.sender_id == other.id)
                & (MeetingRequest.recipient_id == registration.id),
            )
        )
    )
    if in_request is None:
        visible_person(registration, other.id)
    return other


def block(blocker: Registration, blocked_id: int, *, now: datetime) -> Registration:
    """No more requests from ``blocked``; neither sees the other any more.
    Pending requests between them are declined."""
    blocked = _someone_known(blocker, blocked_id)
    exists = db.session.scalar(
        select(DirectoryBlock.id).where(
            DirectoryBlock.blocker_id == blocker.id,
            DirectoryBlock.blocked_id == blocked.id,
        )
    )
    if exists is None:
        db.session.add(
            DirectoryBlock(blocker_id=blocker.id, blocked_id=blocked.id, created_at=now)
        )
    db.session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.status == "pending",
            or_(
                (MeetingRequest.sender_id == blocked.id)
                & (MeetingRequest.recipient_id == blocker.id),
                (MeetingRequest.sender_id == blocker.id)
                & (MeetingRequest.recipient_id == blocked.id),
            ),
        )
        .values(status="declined", decided_at=now)
    )
    db.session.flush()
    return blocked


def report(
    reporter: Registration, reported_id: int, reason: str, *, now: datetime
) -> DirectoryReport:
    """Flag a profile to the organisers (again: the reason is updated)."""
    reported = _someone_known(reporter, reported_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Please say what is wrong."), "reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            ngettext(
                "Please keep this to %(num)d character or fewer.",
                "Please keep this to %(num)d characters or fewer.",
                REASON_MAX,
            ),
            "reason",
        )
    row = db.session.scalar(
        select(DirectoryReport).where(
            DirectoryReport.reporter_id == reporter.id,
            DirectoryReport.reported_id == reported.id,
        )
    )
    if row is None:
        row = DirectoryReport(
            event_id=reporter.event_id,
            reporter_id=reporter.id,
            reported_id=reported.id,
        )
        db.session.add(row)
    row.reason = reason
    row.created_at = now
    row.closed_at = None
    db.session.flush()
    return row


def event_reports(event) -> list[DirectoryReport]:
    """The event's reports, open ones first, newest first."""
    return list(
        db.session.scalars(
            select(DirectoryReport)
            .where(DirectoryReport.event_id == event.id)
            .order_by(
                DirectoryReport.closed_at.is_not(None),
                DirectoryReport.created_at.desc(),
            )
        )
    )


def _report_of(event, report_id: int) -> DirectoryReport:
    row = db.session.get(DirectoryReport, report_id)
    if row is None or row.event_id != event.id:
        raise NotFound(_("No such report."))
    return row


def remove_from_directory(event, report_id: int, actor, *, now: datetime):
    """Take the reported profile out of the directory and close its reports."""
    row = _report_of(event, report_id)
    profile = db.session.scalar(
        select(DirectoryProfile).where(
            DirectoryProfile.registration_id == row.reported_id
        )
    )
    if profile is None:
        profile = DirectoryProfile(registration_id=row.reported_id, updated_at=now)
        db.session.add(profile)
    profile.removed_at = now
    profile.removed_by_id = actor.id
    db.session.execute(
        update(DirectoryReport)
        .where(
            DirectoryReport.reported_id == row.reported_id,
            DirectoryReport.closed_at.is_(None),
        )
        .values(closed_at=now)
    )
    db.session.flush()
    return row.reported


def dismiss_report(event, report_id: int, *, now: datetime) -> DirectoryReport:
    """Close a report without removing anyone."""
    row = _report_of(event, report_id)
    row.closed_at = now
    db.session.flush()
    return row
