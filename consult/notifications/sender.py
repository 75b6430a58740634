"""Who an event's emails say they are from: a display name and a Reply-To.

The From address is always the site's own (``MAIL_DEFAULT_SENDER``): mail
servers check that the sending domain may send for it. An organiser may
change only the name shown before it ("Petaling Jaya City Council via
Consult", their choice of words) and where replies go. Every message of the
event gets them when its text is fixed (queued, or composed by the sender),
and keeps them on its outbox row, so a resend is the same bytes. The
organiser sets them through ``consult.events.services.sender`` (the rules:
``consult.addresses.checked_sender``).
"""

from __future__ import annotations

from consult.events.models import Event
from consult.extensions import db


def sender_of(event: Event | int | None) -> tuple[str, str]:
    """(display name, Reply-To) of an event's emails; ("", "") for none."""
    if isinstance(event, int):
        event = db.session.get(Event, event)
    if event is None:
        return "", ""
    return event.email_sender_name or "", event.email_reply_to or ""
