"""What an event needs from its first moment: stakeholder types, a reminder
plan and version 1 of its privacy notice.

An event gets them when it is created (a clone copies its source's), so it can
take registrations as soon as it is published and no page has to create them
when it is first looked at: a GET request never writes. Migration 0c3e5a7d9b21
gave them to events made before.
"""

from __future__ import annotations

from datetime import datetime

from consult.events.models import Event, PrivacyNotice
from consult.events.services.privacy import current_notice, start_notice
from consult.extensions import db


def give_event_defaults(event: Event, *, now: datetime) -> None:
    """The five default stakeholder types, the default reminder plan and the
    default privacy notice, whichever the event lacks; flushes."""
    # Inline: registration and notifications sit above events here (stakeholder
    # types, reminder plan); see tests/test_architecture.py HIDDEN_CYCLES
    from consult.notifications.reminders.plans import ensure_default_plan
    from consult.registration.services.seats import ensure_stakeholder_types

    ensure_stakeholder_types(event)
    ensure_default_plan(event, now=now)
    if not db.session.scalar(
        db.select(PrivacyNotice.id).where(PrivacyNotice.event_id == event.id)
    ):
        start_notice(event, event.owner, now=now)


def copy_event_setup(source: Event, clone: Event, *, now: datetime) -> None:
    """The clone's types, registration questions and plan, copied from `source`.

    Caps are copied with the capacity they share out; the defaults fill in
    whatever the source lacks.
    """
    # Inline: as in give_event_defaults above.
    from consult.notifications.models import ReminderPlanItem
    from consult.notifications.reminders.plans import plan_items
    from consult.registration.models import RegistrationQuestion, StakeholderType
    from consult.registration.services.seats import stakeholder_types

    for kind in stakeholder_types(source):
        db.session.add(
            StakeholderType(
                event_id=clone.id,
                key=kind.key,
                label=kind.label,
                description=kind.description,
                target_share=kind.target_share,
                cap=kind.cap,
                position=kind.position,
            )
        )
    questions = db.session.scalars(
        db.select(RegistrationQuestion)
        .where(RegistrationQuestion.event_id == source.id)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    )
    for question in questions:
        db.session.add(
            RegistrationQuestion(
                event_id=clone.id,
                label=question.label,
                help_text=question.help_text,
                kind=question.kind,
                choices=list(question.choices or []),
                required=question.required,
                type_keys=list(question.type_keys or []),
                position=question.position,
            )
        )
    for item in plan_items(source):
        db.session.add(
            ReminderPlanItem(
                event_id=clone.id,
                kind=item.kind,
                anchor=item.anchor,
                offset_minutes=item.offset_minutes,
                audience=item.audience,
                type_keys=list(item.type_keys or []),
                subject=item.subject,
                body=item.body,
                enabled=item.enabled,
                position=item.position,
                created_at=now,
                updated_at=now,
            )
        )
    # The source's notice, as its organisers wrote it, is the clone's first.
    start_notice(clone, clone.owner, now=now, text=current_notice(source).text_md)
    give_event_defaults(clone, now=now)
