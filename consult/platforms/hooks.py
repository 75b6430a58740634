"""What registration tells the platforms when a seat is taken or given back.

One call at each seat change (``seats.take_seat``, ``seats.release_seat``):
a row for the job to work through, never a call to the platform. They have
no clock: a due row's ``next_attempt_at`` is None, "as soon as the job runs".
Confirmations on the public form's fast path are found by the job's sweep
(``services.sync.enqueue_missing``), so that path keeps its few statements.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.platforms.models import PlatformLink, PlatformRegistrant


def seat_taken(registration) -> None:
    """A registration is confirmed: the platform should have them."""
    personal = db.session.scalar(
        select(PlatformLink.personal_links).where(
            PlatformLink.event_id == registration.event_id
        )
    )
    if not personal or not registration.email:
        return  # without an address the platform cannot register them
    row = _row_of(registration.id)
    if row is None:
        db.session.add(
            PlatformRegistrant(
                event_id=registration.event_id,
                registration_id=registration.id,
                wanted="add",
                state="pending",
            )
        )
        db.session.flush()
        return
    if row.wanted == "add" and row.state == "synced":
        return
    row.wanted = "add"
    _due(row)


def seat_released(registration) -> None:
    """A confirmed registration closes (cancelled, rejected, erased, moved
    back to the waiting list): the platform should no longer have them, and
    their personal link is no longer shown."""
    row = _row_of(registration.id)
    if row is None or row.wanted == "remove":
        return
    row.wanted = "remove"
    row.join_url = ""
    if row.platform_registrant_id:
        _due(row)
    else:
        row.state = "removed"
        db.session.flush()


def _row_of(registration_id: int) -> PlatformRegistrant | None:
    return db.session.scalar(
        select(PlatformRegistrant).where(
            PlatformRegistrant.registration_id == registration_id
        )
    )


def _due(row: PlatformRegistrant) -> None:
    row.state = "pending"
    row.attempts = 0
    row.next_attempt_at = None
    row.last_error = ""
    db.session.flush()
