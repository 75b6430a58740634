"""What the organiser's platform page shows: states, counts, the registrants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from consult.extensions import db
from consult.platforms.models import SYNC_STATES, PlatformRegistrant
from consult.registration.models import Registration

LISTED = 500


@dataclass(frozen=True)
class SyncRow:
    id: int
    name: str
    email: str
    wanted: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    personal: bool


def sync_counts(event) -> dict[str, int]:
    """Rows per state (every state present, zero when none)."""
    counts = dict.fromkeys(SYNC_STATES, 0)
    for state, count in db.session.execute(
        select(PlatformRegistrant.state, func.count())
        .where(PlatformRegistrant.event_id == event.id)
        .group_by(PlatformRegistrant.state)
    ):
        counts[state] = count
    return counts


def sync_rows(event) -> list[SyncRow]:
    """Failed rows first, then pending, then the rest, by name."""
    order = {"failed": 0, "pending": 1, "synced": 2, "removed": 3}
    rows = db.session.execute(
        select(PlatformRegistrant, Registration.full_name, Registration.email)
        .join(Registration, Registration.id == PlatformRegistrant.registration_id)
        .where(PlatformRegistrant.event_id == event.id)
        .order_by(Registration.full_name, PlatformRegistrant.id)
    ).all()
    listed = [
        SyncRow(
            id=row.id,
            name=name,
            email=email or "",
            wanted=row.wanted,
            state=row.state,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            personal=bool(row.join_url),
        )
        for row, name, email in rows
    ]
    listed.sort(key=lambda row: order.get(row.state, 9))
    return listed[:LISTED]
