"""Seats left, overall and per stakeholder group, as a visitor sees them before registering.

Read from the committed counters (the event row's seat and waiting-list
counters, and one grouped count of confirmed people per capped group), never
from a per-process copy of the event (the registration form's data keeps the
event without its counters). What a newcomer would get follows ``place``:
seats are given to the people already waiting first, so while anyone waits a
free seat is theirs, and a group whose cap is reached sends its newcomers to
the waiting list even when the event has room.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType

_EVENTS = Event.__table__


@dataclass(frozen=True)
class GroupSeats:
    """A capped stakeholder group: its cap and the places left in it for a newcomer."""

    key: str
    cap: int
    confirmed: int
    left: int


@dataclass(frozen=True)
class Availability:
    capacity: int | None
    confirmed: int
    waiting: int
    waitlist_enabled: bool
    # Seats a newcomer could still take: free seats beyond those the people
    # already waiting are owed. None when the event has no capacity.
    left: int | None
    groups: dict[str, GroupSeats]

    @property
    def limited(self) -> bool:
        return self.capacity is not None or bool(self.groups)

    @property
    def state(self) -> str:
        """ "open" (seats left or no limit), "waiting_list" (a newcomer waits),
        or "full" (no seat and no waiting list)."""
        if self.left is None or self.left > 0:
            return "open"
        return "waiting_list" if self.waitlist_enabled else "full"

    def group_state(self, key: str) -> str:
        """The same for a newcomer of this group: "open" when the group has no cap."""
        group = self.groups.get(key)
        if self.state != "open" or group is None or group.left > 0:
            return self.state
        return "waiting_list" if self.waitlist_enabled else "full"

    def group_left(self, key: str) -> int | None:
        """Places a newcomer of this group could take; None when unlimited."""
        group = self.groups.get(key)
        if group is None:
            return self.left
        return group.left if self.left is None else min(group.left, self.left)


def availability(event_id: int, types: Sequence[StakeholderType]) -> Availability:
    """The event's seats now; ``types``: its stakeholder groups (caps read from them)."""
    row = db.session.execute(
        select(
            _EVENTS.c.capacity,
            _EVENTS.c.confirmed_count,
            _EVENTS.c.waiting_count,
            _EVENTS.c.waitlist_enabled,
        ).where(_EVENTS.c.id == event_id)
    ).one()
    capped = {t.id: t for t in types if t.cap is not None}
    confirmed_by_type: dict[int, int] = {}
    if capped:
        confirmed_by_type = dict(
            db.session.execute(
                select(Registration.stakeholder_type_id, func.count())
                .where(
                    Registration.event_id == event_id,
                    Registration.status == "confirmed",
                    Registration.stakeholder_type_id.in_(capped),
                )
                .group_by(Registration.stakeholder_type_id)
            ).all()
        )
    left = None
    if row.capacity is not None:
        left = max(0, row.capacity - row.confirmed_count - row.waiting_count)
    groups = {
        kind.key: GroupSeats(
            key=kind.key,
            cap=kind.cap,
            confirmed=confirmed_by_type.get(type_id, 0),
            left=max(0, kind.cap - confirmed_by_type.get(type_id, 0)),
        )
        for type_id, kind in capped.items()
    }
    return Availability(
        capacity=row.capacity,
        confirmed=row.confirmed_count,
        waiting=row.waiting_count,
        waitlist_enabled=row.waitlist_enabled,
        left=left,
        groups=groups,
    )
