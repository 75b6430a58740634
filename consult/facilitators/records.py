"""What was recorded for a person, and how: for the facilitator's person page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from consult.challenges.models import Priority
from consult.extensions import db
from consult.registration.models import Registration


@dataclass(frozen=True)
class Recorded:
    """How a record came: a channel (None: by the person themselves) and when."""

    channel: str | None
    at: datetime | None


def ballot_record(registration: Registration) -> Recorded | None:
    """How the person's priorities were last saved; None without a ballot."""
    row = db.session.execute(
        select(Priority.channel, Priority.facilitated_by_id, Priority.updated_at)
        .where(Priority.registration_id == registration.id)
        .order_by(Priority.updated_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return Recorded(row.channel if row.facilitated_by_id else None, row.updated_at)
