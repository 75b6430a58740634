"""The platforms' scheduled job (listed in ``consult.scheduler.JOBS``).

Every call to a platform happens here, never in a request: meetings to
create or check, registrants to add or cancel, participants reports to
fetch. Each call runs outside any transaction (no lock is held, and on
SQLite no write lock, while the platform answers); its outcome is recorded
and committed on its own, so one failure never undoes another's work.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from consult.extensions import db
from consult.platforms.adapters import adapter_for
from consult.platforms.adapters.base import PlatformError
from consult.platforms.services import meetings, reports, sync
from consult.registration.services.emails import queue_registration_email


def sync_platforms_job(*, now: datetime) -> str:
    """Create or check meetings, add and cancel registrants, fetch reports."""
    config = current_app.config
    lease = int(config["PLATFORM_LEASE_SECONDS"])
    most = int(config["PLATFORM_MAX_ATTEMPTS"])
    made = _meetings(now=now, lease=lease, most=most)
    queued = sync.enqueue_missing(now=now)
    db.session.commit()
    counts = _registrants(now=now, lease=lease, most=most)
    fetched = _reports(now=now, lease=lease, most=most)
    return (
        f"{made} meetings, {queued} queued, "
        + ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
        + f", {fetched} reports"
    )


def _meetings(*, now, lease, most) -> int:
    claimed = meetings.claim_due_links(now=now, lease_seconds=lease)
    db.session.commit()
    for work in claimed:
        adapter = adapter_for(work.platform, current_app.config)
        try:
            meeting = adapter.create_or_link(work.spec)
        except PlatformError as error:
            meetings.record_link_failure(
                work.link_id, error, now=now, max_attempts=most
            )
        else:
            meetings.record_meeting(work.link_id, meeting, now=now)
        db.session.commit()
    return len(claimed)


def _tell(now: datetime):
    def tell(registration, key: str) -> None:
        queue_registration_email(registration, "join_link", now=now, dedup_suffix=key)

    return tell


def _registrants(*, now, lease, most) -> dict[str, int]:
    config = current_app.config
    claimed = sync.claim_due(
        now=now, limit=int(config["PLATFORM_SYNC_BATCH"]), lease_seconds=lease
    )
    db.session.commit()
    counts: dict[str, int] = {}
    for index, row_id in enumerate(claimed):
        work = sync.prepare(row_id, config=config)
        db.session.commit()  # no transaction stays open during the call
        if work is None:
            continue
        slow_down = False
        try:
            added = sync.perform(work, adapter_for(work.platform, config))
        except PlatformError as error:
            outcome = sync.record_failure(row_id, error, now=now, max_attempts=most)
            if error.retry_after is not None:
                # The platform asked to wait: the rest of the batch waits too.
                slow_down = True
                sync.postpone(claimed[index + 1 :], like=row_id)
        else:
            if work.wanted == "add":
                outcome = sync.record_added(row_id, added, now=now, tell=_tell(now))
            else:
                outcome = sync.record_removed(row_id, now=now)
        db.session.commit()
        counts[outcome] = counts.get(outcome, 0) + 1
        if slow_down:
            break
    return counts


def _reports(*, now, lease, most) -> int:
    claimed = reports.claim_due_reports(now=now, lease_seconds=lease)
    db.session.commit()
    for work in claimed:
        adapter = adapter_for(work.platform, current_app.config)
        try:
            participants = adapter.fetch_participants(work.meeting)
        except PlatformError as error:
            reports.record_report_failure(
                work.link_id, error, now=now, max_attempts=most
            )
        else:
            reports.record_report(work.link_id, participants, now=now)
        db.session.commit()
    return len(claimed)
