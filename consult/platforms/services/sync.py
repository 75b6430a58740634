"""Each confirmed registrant on the event's platform: added, removed, retried.

The job (consult/platforms/jobs.py) claims due rows, and for each one reads
what the call needs (``prepare``), ends its transaction, calls the platform
outside any transaction (no lock is held while the platform answers), then
records the outcome in a transaction of its own (``record_added``,
``record_removed``, ``record_failure``).

A crash between the platform's answer and the commit leaves the row claimed;
its lease runs out and it is worked again. Adding is safe to repeat: Zoom
answers an address already registered for the meeting with the same
registrant (and a Jitsi token is computed, the same each time), and the email
that carries a personal link is queued under a key made of the registration
and the link, so a second run queues nothing more. Cancelling twice cancels
the same registrant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select

from consult.database import is_postgresql
from consult.extensions import db
from consult.platforms.adapters.base import Added, Meeting, Person, PlatformError
from consult.platforms.models import PlatformLink, PlatformRegistrant
from consult.platforms.services.retries import gives_up, next_try
from consult.registration.models import Registration


@dataclass(frozen=True)
class RegistrantWork:
    """One claimed row's call: what to do, on which meeting, for whom."""

    row_id: int
    platform: str
    wanted: str
    meeting: Meeting
    person: Person | None
    registrant_id: str
    email: str | None
    ends_at: datetime


def enqueue_missing(*, now: datetime) -> int:
    """Rows for confirmed registrants the platform should have and nothing
    has asked for yet (the fast path's confirmations), and removals for rows
    whose registration no longer holds a seat. Returns how many changed."""
    missing = db.session.execute(
        select(Registration.id, Registration.event_id)
        .join(PlatformLink, PlatformLink.event_id == Registration.event_id)
        .where(
            PlatformLink.personal_links.is_(True),
            PlatformLink.state == "ready",
            Registration.status == "confirmed",
            Registration.email.is_not(None),
            ~exists().where(PlatformRegistrant.registration_id == Registration.id),
        )
    ).all()
    for registration_id, event_id in missing:
        db.session.add(
            PlatformRegistrant(
                event_id=event_id,
                registration_id=registration_id,
                next_attempt_at=now,
            )
        )
    stale = db.session.scalars(
        select(PlatformRegistrant)
        .join(Registration, Registration.id == PlatformRegistrant.registration_id)
        .where(PlatformRegistrant.wanted == "add", Registration.status != "confirmed")
    ).all()
    for row in stale:
        row.wanted = "remove"
        row.join_url = ""
        row.attempts = 0
        row.last_error = ""
        row.next_attempt_at = now
        row.state = "pending" if row.platform_registrant_id else "removed"
    db.session.flush()
    return len(missing) + len(stale)


def claim_due(*, now: datetime, limit: int, lease_seconds: int) -> list[int]:
    """Ids of due rows of ready links, claimed for ``lease_seconds``."""
    query = (
        select(PlatformRegistrant)
        .join(PlatformLink, PlatformLink.event_id == PlatformRegistrant.event_id)
        .where(
            PlatformLink.state == "ready",
            PlatformRegistrant.state == "pending",
            or_(
                PlatformRegistrant.next_attempt_at.is_(None),
                PlatformRegistrant.next_attempt_at <= now,
            ),
        )
        .order_by(PlatformRegistrant.id)
        .limit(limit)
    )
    if is_postgresql(db.session):
        query = query.with_for_update(skip_locked=True, of=PlatformRegistrant)
    rows = list(db.session.scalars(query))
    for row in rows:
        row.next_attempt_at = now + timedelta(seconds=lease_seconds)
    db.session.flush()
    return [row.id for row in rows]


def prepare(
    row_id: int, *, config: Mapping[str, Any], moderator: bool = False
) -> RegistrantWork | None:
    """What the call for a claimed row needs; None when there is nothing to do."""
    row = db.session.get(PlatformRegistrant, row_id)
    if row is None or row.state != "pending":
        return None
    link = db.session.scalar(
        select(PlatformLink).where(PlatformLink.event_id == row.event_id)
    )
    if link is None or link.state != "ready":
        return None
    registration = row.registration
    event = link.event
    margin = timedelta(minutes=int(config.get("JITSI_TOKEN_MARGIN_MINUTES") or 0))
    person = None
    if row.wanted == "add":
        if not registration.email:
            return None
        person = Person(registration.full_name, registration.email, moderator)
    return RegistrantWork(
        row_id=row.id,
        platform=link.platform,
        wanted=row.wanted,
        meeting=Meeting(link.kind, link.meeting_id, link.shared_url),
        person=person,
        registrant_id=row.platform_registrant_id,
        email=registration.email,
        ends_at=event.end_at + margin,
    )


def perform(work: RegistrantWork, adapter) -> Added | None:
    """The platform call itself (no database): add, or cancel."""
    if work.wanted == "add":
        return adapter.add_registrant(work.meeting, work.person, ends_at=work.ends_at)
    adapter.remove_registrant(work.meeting, work.registrant_id, work.email)
    return None


def _locked_row(row_id: int) -> PlatformRegistrant | None:
    query = (
        select(PlatformRegistrant)
        .where(PlatformRegistrant.id == row_id)
        .execution_options(populate_existing=True)
    )
    if is_postgresql(db.session):
        query = query.with_for_update()
    return db.session.scalar(query)


def record_added(
    row_id: int,
    added: Added,
    *,
    now: datetime,
    tell: Callable[[Registration, str], None],
) -> str:
    """The platform has the person: keep their link and tell them about it.

    ``tell(registration, key)`` queues the email carrying the personal link
    under ``key``. A row cancelled while the call was under way keeps the
    registrant id and is due for removal instead.
    """
    row = _locked_row(row_id)
    if row is None:
        return "gone"
    row.platform_registrant_id = added.registrant_id or row.platform_registrant_id
    row.attempts += 1
    row.last_error = ""
    if row.wanted == "remove":
        row.state = "pending" if row.platform_registrant_id else "removed"
        row.next_attempt_at = now
        db.session.flush()
        return "cancelled meanwhile"
    link_changed = added.personal and added.join_url != row.join_url
    row.join_url = added.join_url if added.personal else ""
    row.state = "synced"
    row.synced_at = now
    row.next_attempt_at = None
    db.session.flush()
    if link_changed and row.registration.status == "confirmed":
        tell(row.registration, _link_key(added))
    return "added"


def _link_key(added: Added) -> str:
    # The registrant id when the platform has one (Zoom); else the link
    # itself, hashed (a Jitsi token is the same for the same person and event).
    if added.registrant_id:
        return added.registrant_id
    return hashlib.sha256(added.join_url.encode()).hexdigest()[:24]


def record_removed(row_id: int, *, now: datetime) -> str:
    """The platform no longer has the person."""
    row = _locked_row(row_id)
    if row is None:
        return "gone"
    row.attempts += 1
    row.last_error = ""
    if row.wanted == "add":
        # Confirmed again while the cancel was under way: add them again.
        row.state = "pending"
        row.next_attempt_at = now
    else:
        row.state = "removed"
        row.next_attempt_at = None
        row.synced_at = now
    db.session.flush()
    return "removed"


def record_failure(
    row_id: int, error: PlatformError, *, now: datetime, max_attempts: int
) -> str:
    """A failed call: tried again later, or failed with the platform's message."""
    row = _locked_row(row_id)
    if row is None:
        return "gone"
    if error.retry_after is None:
        row.attempts += 1
    row.last_error = error.message[:2000]
    if gives_up(error, row.attempts, max_attempts):
        row.state = "failed"
        row.next_attempt_at = None
        db.session.flush()
        return "failed"
    row.next_attempt_at = next_try(error, row.attempts, now=now)
    db.session.flush()
    return "retry"


def postpone(row_ids: list[int], *, like: int) -> None:
    """Rows claimed but not tried wait as long as row ``like`` was told to
    (the platform asked to slow down)."""
    until = db.session.get(PlatformRegistrant, like).next_attempt_at
    for row_id in row_ids:
        row = _locked_row(row_id)
        if row is not None and row.state == "pending":
            row.next_attempt_at = until
    db.session.flush()


def retry_failed(event, *, now: datetime, row_id: int | None = None) -> int:
    """The organiser's retry: failed rows (one, or all of the event) due again."""
    query = select(PlatformRegistrant).where(
        PlatformRegistrant.event_id == event.id, PlatformRegistrant.state == "failed"
    )
    if row_id is not None:
        query = query.where(PlatformRegistrant.id == row_id)
    rows = list(db.session.scalars(query))
    for row in rows:
        row.state = "pending"
        row.attempts = 0
        row.last_error = ""
        row.next_attempt_at = now
    db.session.flush()
    return len(rows)
