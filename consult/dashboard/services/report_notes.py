"""The organisers' key findings and next steps: Markdown kept with the report.

Each save is a new version (who and when); the report shows the latest one.
Only the event's organisers (consult.events.access) read or write them.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.dashboard.models import ReportNotes
from consult.errors import ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db

NOTES_MAX = 10000


def latest_notes(event: Event) -> ReportNotes | None:
    """The last saved version of the event's key findings and next steps."""
    return db.session.scalar(
        select(ReportNotes)
        .where(ReportNotes.event_id == event.id)
        .order_by(ReportNotes.number.desc())
        .limit(1)
    )


def notes_versions(event: Event) -> int:
    """How many versions have been saved."""
    return db.session.scalar(
        select(func.count(ReportNotes.id)).where(ReportNotes.event_id == event.id)
    )


def _checked(text: str | None, field: str) -> str:
    text = (text or "").strip()
    if len(text) > NOTES_MAX:
        raise ValidationFailed(
            _("Keep this text under %(n)d characters.", n=NOTES_MAX), field
        )
    return text


def save_notes(
    event: Event, actor, *, key_findings: str, next_steps: str, now: datetime
) -> ReportNotes:
    """Save the key findings and next steps as the event's next version; flushes."""
    require_manager(actor, event)
    key_findings = _checked(key_findings, "key_findings")
    next_steps = _checked(next_steps, "next_steps")
    # Two organisers saving at once: the second numbers its version after the
    # first (the unique number per event would refuse a duplicate anyway).
    db.session.execute(
        select(Event.id).where(Event.id == event.id).with_for_update(key_share=True)
    )
    last = db.session.scalar(
        select(func.max(ReportNotes.number)).where(ReportNotes.event_id == event.id)
    )
    row = ReportNotes(
        event_id=event.id,
        number=(last or 0) + 1,
        key_findings=key_findings,
        next_steps=next_steps,
        saved_at=now,
        saved_by_id=actor.id,
        saved_by_name=actor.name or actor.email,
    )
    db.session.add(row)
    db.session.flush()
    return row
