"""Inputs a facilitator records on a person's behalf.

The input is the person's: authored by their registration, submitted through
the participant's own service (same fields, same rules, same window),
moderated and counted like any other. It also keeps who recorded it, how the
facilitator reached the person and when.
"""

from __future__ import annotations

from datetime import datetime

from consult.challenges.models import Input
from consult.challenges.services import Author, InputData, submit_input
from consult.extensions import db
from consult.facilitators.services import check_channel, facilitated_person


def record_input(
    event,
    facilitator,
    registration_id: int,
    data: InputData,
    channel: str,
    *,
    now: datetime,
) -> Input:
    """Submit an input for one of the facilitator's people."""
    registration = facilitated_person(event, facilitator, registration_id)
    channel = check_channel(channel)
    item = submit_input(event, Author(registration=registration), data, now=now)
    item.facilitated_by_id = facilitator.id
    item.channel = channel
    item.facilitated_at = now
    db.session.flush()
    return item
