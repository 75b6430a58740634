"""The registration parts of a clone (consult/clone_parts.py): the
stakeholder types with their caps and targets, and the registration questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.clone_parts import (
    CloneJob,
    ClonePart,
    copied_translations,
    register_clone_part,
)
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import RegistrationQuestion, StakeholderType
from consult.registration.services.seats import stakeholder_types


def _copy_types(job: CloneJob) -> None:
    # Caps are copied with the capacity they share out (the details).
    for kind in stakeholder_types(job.source):
        db.session.add(
            StakeholderType(
                event_id=job.clone.id,
                key=kind.key,
                label=kind.label,
                description=kind.description,
                target_share=kind.target_share,
                cap=kind.cap,
                position=kind.position,
                translations=copied_translations(kind.translations),
            )
        )


def _questions(event: Event) -> list[RegistrationQuestion]:
    return list(
        db.session.scalars(
            select(RegistrationQuestion)
            .where(RegistrationQuestion.event_id == event.id)
            .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
        )
    )


def _copy_questions(job: CloneJob) -> None:
    for question in _questions(job.source):
        db.session.add(
            RegistrationQuestion(
                event_id=job.clone.id,
                label=question.label,
                help_text=question.help_text,
                kind=question.kind,
                choices=list(question.choices or []),
                required=question.required,
                type_keys=list(question.type_keys or []),
                position=question.position,
                translations=copied_translations(question.translations),
            )
        )


def _questions_need(event: Event) -> dict[str, object]:
    """Questions shown to particular types name them by key: the types too."""
    if any(question.type_keys for question in _questions(event)):
        return {
            "types": _l(
                "Some registration questions are asked of particular stakeholder "
                "types only: copy the stakeholder types with them."
            )
        }
    return {}


register_clone_part(
    ClonePart(
        key="types",
        label=_l("Stakeholder types"),
        explanation=_l(
            "Each type's name, description, cap and target share. Unticked: "
            "the five default types."
        ),
        copy=_copy_types,
        order=10,
    )
)
register_clone_part(
    ClonePart(
        key="questions",
        label=_l("Registration questions"),
        explanation=_l(
            "The questions of the registration form, those asked of particular "
            "stakeholder types included. No answers."
        ),
        copy=_copy_questions,
        order=20,
        needs=_questions_need,
    )
)
