"""The organiser sets who the event's emails say they are from (the rules:
``consult.addresses.checked_sender``)."""

from __future__ import annotations

from consult.addresses import checked_sender
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db


def set_event_sender(
    event: Event, actor, *, name: str | None, reply_to: str | None
) -> Event:
    """Set the sender name and Reply-To of the event's emails from now on."""
    require_manager(actor, event)
    event.email_sender_name, event.email_reply_to = checked_sender(name, reply_to)
    db.session.flush()
    return event
