"""Organiser-editable registration settings: switches, stakeholder types, questions.

Every service takes the acting user and ``now``, checks the actor may manage
the event, flushes and never commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.content import choice_key, drop_translations
from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.numbers import MAX_SEATS
from consult.registration.models import (
    QUESTION_KINDS,
    Registration,
    RegistrationQuestion,
    StakeholderType,
)
from consult.registration.services.seats import (
    lock_event,
    promote_from_waitlist,
    stakeholder_types,
)
from consult.text import clean_text

MAX_THRESHOLD_MINUTES = 24 * 60
MAX_CHOICES = 50


@dataclass(frozen=True)
class RegistrationSettingsData:
    waitlist_enabled: bool
    requires_approval: bool
    attendance_threshold_minutes: int


@dataclass(frozen=True)
class StakeholderTypeData:
    label: str
    description: str = ""
    target_share: int = 0
    cap: int | None = None


@dataclass(frozen=True)
class QuestionData:
    label: str
    kind: str = "text"
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    required: bool = False
    type_keys: list[str] = field(default_factory=list)


def update_registration_settings(
    event: Event, actor, data: RegistrationSettingsData, *, now: datetime
) -> Event:
    """Change the waiting-list and approval switches and the threshold.

    The privacy notice's version follows its text (events/services/privacy.py).
    """
    require_manager(actor, event)
    threshold = data.attendance_threshold_minutes
    if threshold is None or not 0 <= threshold <= MAX_THRESHOLD_MINUTES:
        raise ValidationFailed(
            _("Between 0 and %(n)d minutes, please.", n=MAX_THRESHOLD_MINUTES),
            field="attendance_threshold_minutes",
        )
    # People already waiting or pending keep their place when a switch is
    # turned off; the switches only decide what happens to new registrations.
    event.waitlist_enabled = bool(data.waitlist_enabled)
    event.requires_approval = bool(data.requires_approval)
    event.attendance_threshold_minutes = threshold
    event.updated_at = now
    db.session.flush()
    return event


def stakeholder_type_of(event: Event, type_id: int) -> StakeholderType:
    """One of the event's stakeholder types; NotFound for any other id."""
    found = db.session.get(StakeholderType, type_id)
    if found is None or found.event_id != event.id:
        raise NotFound(_("No such stakeholder type for this event."))
    return found


def add_stakeholder_type(
    event: Event, actor, data: StakeholderTypeData, *, now: datetime
) -> StakeholderType:
    """Add a stakeholder type at the end of the list."""
    require_manager(actor, event)
    values = _type_values(event, data, exclude_id=None)
    existing = stakeholder_types(event)
    new_type = StakeholderType(
        event_id=event.id,
        key=_unique_key(values["label"], {t.key for t in existing}),
        position=max((t.position for t in existing), default=-1) + 1,
        **values,
    )
    db.session.add(new_type)
    event.updated_at = now
    db.session.flush()
    return new_type


def update_stakeholder_type(
    event: Event, type_id: int, actor, data: StakeholderTypeData, *, now: datetime
) -> StakeholderType:
    """Change a type's label, description, target share and cap (its key stays)."""
    require_manager(actor, event)
    event = lock_event(event.id)  # caps decide seats: change them under the lock
    target = stakeholder_type_of(event, type_id)
    for key, value in _type_values(event, data, exclude_id=target.id).items():
        setattr(target, key, value)
    event.updated_at = now
    db.session.flush()
    if event.is_published:
        promote_from_waitlist(event, now=now)  # a raised cap serves those waiting
    return target


def remove_stakeholder_type(event: Event, type_id: int, actor, *, now: datetime):
    """Remove a type nobody registered under and no question depends on."""
    require_manager(actor, event)
    target = stakeholder_type_of(event, type_id)
    # Lock the type before counting: a registration being inserted under it
    # (its foreign-key check holds KEY SHARE on the type) finishes first and
    # is counted, and no new one can start until this transaction ends.
    db.session.execute(
        select(StakeholderType.id)
        .where(StakeholderType.id == target.id)
        .with_for_update()
    )
    used = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.stakeholder_type_id == target.id
        )
    )
    if used:
        raise Conflict(
            _(
                "“%(label)s” has registrations and cannot be removed. "
                "Rename it instead.",
                label=target.label,
            )
        )
    for question in registration_questions(event):
        if target.key in (question.type_keys or []):
            if question.type_keys == [target.key]:
                raise Conflict(
                    _(
                        "The question “%(q)s” is shown only for this type. "
                        "Change or remove the question first.",
                        q=question.label,
                    )
                )
            question.type_keys = [k for k in question.type_keys if k != target.key]
    db.session.delete(target)
    event.updated_at = now
    db.session.flush()


def check_stakeholder_type(
    event: Event, data: StakeholderTypeData, *, type_id: int | None = None
) -> None:
    """Every problem with a type's input (a new one, or type ``type_id``),
    raised together; nothing written."""
    _type_values(event, data, exclude_id=type_id)


def _type_values(event: Event, data: StakeholderTypeData, *, exclude_id) -> dict:
    """A type's column values, or ValidationFailed with every problem."""
    problems = Problems()
    label = problems.take(
        clean_text, data.label, "label", max_length=120, required=True
    )
    share = data.target_share if data.target_share is not None else 0
    others = sum(t.target_share for t in stakeholder_types(event) if t.id != exclude_id)
    if not 0 <= share <= 100:
        problems.add(_("A share between 0 and 100 per cent, please."), "target_share")
    elif others + share > 100:
        problems.add(
            _(
                "Target shares may add up to at most 100%%; the other types "
                "already take %(n)d%%.",
                n=others,
            ),
            "target_share",
        )
    if data.cap is not None and data.cap < 0:
        problems.add(_("The cap cannot be negative. Leave it empty for no cap."), "cap")
    elif data.cap is not None and data.cap > MAX_SEATS:
        problems.add(_("At most %(n)s seats, please.", n=f"{MAX_SEATS:,}"), "cap")
    if label and any(
        t.id != exclude_id and t.label.casefold() == label.casefold()
        for t in stakeholder_types(event)
    ):
        problems.add(_("Another type has this label."), "label")
    description = problems.take(
        clean_text, data.description, "description", max_length=500
    )
    problems.raise_any()
    return {
        "label": label,
        "description": description,
        "target_share": share,
        "cap": data.cap,
    }


def _unique_key(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:30] or "type"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def registration_questions(event: Event) -> list[RegistrationQuestion]:
    """The event's type-specific questions in display order."""
    return list(
        db.session.scalars(
            select(RegistrationQuestion)
            .where(RegistrationQuestion.event_id == event.id)
            .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
        )
    )


def question_of(event: Event, question_id: int) -> RegistrationQuestion:
    """One of the event's questions; NotFound for any other id."""
    found = db.session.get(RegistrationQuestion, question_id)
    if found is None or found.event_id != event.id:
        raise NotFound(_("No such question for this event."))
    return found


def add_question(
    event: Event, actor, data: QuestionData, *, now: datetime
) -> RegistrationQuestion:
    """Add a question at the end of the form."""
    require_manager(actor, event)
    values = _question_values(event, data)
    position = max((q.position for q in registration_questions(event)), default=-1) + 1
    question = RegistrationQuestion(event_id=event.id, position=position, **values)
    db.session.add(question)
    event.updated_at = now
    db.session.flush()
    return question


def update_question(
    event: Event, question_id: int, actor, data: QuestionData, *, now: datetime
) -> RegistrationQuestion:
    """Change a question; answers already given stay as they were.

    A choice renamed or removed loses its translations (they were of the old
    text): the Languages page shows the new text as missing. Reordering keeps
    them, since they follow the canonical text, not the place.
    """
    require_manager(actor, event)
    question = question_of(event, question_id)
    before = set(question.choices or [])
    for key, value in _question_values(event, data).items():
        setattr(question, key, value)
    gone = before - set(question.choices or [])
    drop_translations(question, {choice_key(choice) for choice in gone})
    event.updated_at = now
    db.session.flush()
    return question


def remove_question(event: Event, question_id: int, actor, *, now: datetime) -> None:
    """Remove a question from the form (answers already given are kept)."""
    require_manager(actor, event)
    db.session.delete(question_of(event, question_id))
    event.updated_at = now
    db.session.flush()


def move_question(
    event: Event, question_id: int, actor, offset: int, *, now: datetime
) -> None:
    """Move a question one place up (offset -1) or down (+1) in the form."""
    require_manager(actor, event)
    ordered = registration_questions(event)
    question = question_of(event, question_id)
    index = ordered.index(question)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    # Renumber everything, so equal positions left by older data cannot
    # make a swap a no-op.
    for position, item in enumerate(ordered):
        item.position = position
    event.updated_at = now
    db.session.flush()


def check_question(event: Event, data: QuestionData) -> None:
    """Every problem with a registration question's input, raised together."""
    _question_values(event, data)


def _question_values(event: Event, data: QuestionData) -> dict:
    """A question's column values, or ValidationFailed with every problem."""
    problems = Problems()
    label = problems.take(
        clean_text, data.label, "label", max_length=300, required=True
    )
    if data.kind not in QUESTION_KINDS:
        problems.add(_("Choose a kind of answer."), "kind")
    choices: list[str] = []
    if data.kind == "choice":
        choices = problems.take(_clean_choices, data.choices) or []
    known = {t.key for t in stakeholder_types(event)}
    if any(k not in known for k in data.type_keys or []):
        problems.add(_("Choose stakeholder types of this event."), "type_keys")
    help_text = problems.take(clean_text, data.help_text, "help_text", max_length=500)
    problems.raise_any()
    return {
        "label": label,
        "help_text": help_text,
        "kind": data.kind,
        "choices": choices,
        "required": bool(data.required),
        "type_keys": [k for k in known if k in (data.type_keys or [])],
    }


def _clean_choices(raws: list[str] | None) -> list[str]:
    choices: list[str] = []
    for raw in raws or []:
        text = clean_text(raw, "choices", max_length=200)
        if text and text not in choices:
            choices.append(text)
    if len(choices) < 2:
        raise ValidationFailed(
            _("A choice question needs at least two choices, one per line."),
            field="choices",
        )
    if len(choices) > MAX_CHOICES:
        raise ValidationFailed(
            _("At most %(n)d choices, please.", n=MAX_CHOICES), field="choices"
        )
    return choices
