"""The job's side of a link: create a Zoom meeting, or check an existing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from consult.database import is_postgresql
from consult.extensions import db
from consult.platforms.adapters.base import Meeting, MeetingSpec, PlatformError
from consult.platforms.models import PlatformLink
from consult.platforms.services.retries import gives_up, next_try


@dataclass(frozen=True)
class LinkWork:
    link_id: int
    platform: str
    spec: MeetingSpec


def claim_due_links(*, now: datetime, lease_seconds: int) -> list[LinkWork]:
    """Links whose meeting is to be created or checked now, claimed for a lease."""
    query = (
        select(PlatformLink)
        .where(
            PlatformLink.state == "pending",
            PlatformLink.next_attempt_at <= now,
        )
        .order_by(PlatformLink.id)
        .limit(20)
    )
    if is_postgresql(db.session):
        query = query.with_for_update(skip_locked=True)
    work = []
    for link in db.session.scalars(query):
        link.next_attempt_at = now + timedelta(seconds=lease_seconds)
        event = link.event
        work.append(
            LinkWork(
                link.id,
                link.platform,
                MeetingSpec(
                    kind=link.kind,
                    meeting_id="" if link.create_meeting else link.meeting_id,
                    topic=event.title,
                    start_at=event.start_at,
                    end_at=event.end_at,
                ),
            )
        )
    db.session.flush()
    return work


def _link(link_id: int) -> PlatformLink | None:
    return db.session.get(PlatformLink, link_id, populate_existing=True)


def record_meeting(link_id: int, meeting: Meeting, *, now: datetime) -> str:
    """The platform has the meeting: its id and shared link; registrants may follow."""
    link = _link(link_id)
    if link is None or link.state != "pending":
        return "gone"
    link.meeting_id = meeting.meeting_id
    link.shared_url = meeting.shared_url[:1000]
    link.create_meeting = False
    link.state = "ready"
    link.attempts += 1
    link.last_error = ""
    link.next_attempt_at = None
    link.updated_at = now
    db.session.flush()
    return "ready"


def record_link_failure(
    link_id: int, error: PlatformError, *, now: datetime, max_attempts: int
) -> str:
    link = _link(link_id)
    if link is None or link.state != "pending":
        return "gone"
    if error.retry_after is None:
        link.attempts += 1
    link.last_error = error.message[:2000]
    link.updated_at = now
    if gives_up(error, link.attempts, max_attempts):
        link.state = "failed"
        link.next_attempt_at = None
        db.session.flush()
        return "failed"
    link.next_attempt_at = next_try(error, link.attempts, now=now)
    db.session.flush()
    return "retry"
