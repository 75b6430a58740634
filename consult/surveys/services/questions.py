"""The organiser's survey builder, continued: questions, options, statements, order.

Same contract as consult.surveys.services.builder (acting user and ``now``,
manager check, flush, no commit), and the same lock: once a survey has a
submitted response, questions cannot be deleted or change kind, options and
statements cannot be removed and "other" cannot be switched off, while texts
may be corrected and new questions and options added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.content import drop_translations, scale_key
from consult.errors import NotFound, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.extensions import db
from consult.surveys.models import (
    CHOICE_KINDS,
    DEFAULT_SCALE_LABELS,
    QUESTION_KINDS,
    SCALE_KINDS,
    Survey,
    SurveyOption,
    SurveyQuestion,
)
from consult.surveys.services.builder import has_responses, locked_reason
from consult.text import clean_text

MAX_OPTIONS = 30
MAX_NUMBER_LIMIT = 10.0**15  # a number question's bounds: finite, exact in a float


@dataclass(frozen=True)
class OptionEdit:
    """One option or statement row: ``id`` None for a new one."""

    label: str
    id: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class QuestionData:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    allow_other: bool = False
    min_choices: int | None = None
    max_choices: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    scale_labels: list[str] = field(default_factory=lambda: list(DEFAULT_SCALE_LABELS))
    options: list[OptionEdit] = field(default_factory=list)
    statements: list[OptionEdit] = field(default_factory=list)


def question_of(survey: Survey, question_id: int) -> SurveyQuestion:
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or question.survey_id != survey.id:
        raise NotFound(_("No such question."))
    return question


def add_question(
    survey: Survey, actor, data: QuestionData, *, now: datetime
) -> SurveyQuestion:
    """Append a question (always allowed, also once responses exist)."""
    require_manager(actor, survey.event)
    if data.kind not in QUESTION_KINDS:
        # The type decides every other rule: nothing more to check without it.
        raise ValidationFailed(_("Choose a question type."), field="kind")
    last = db.session.scalar(
        select(func.max(SurveyQuestion.position)).where(
            SurveyQuestion.survey_id == survey.id
        )
    )
    question = SurveyQuestion(
        survey_id=survey.id, position=(last or 0) + 1, kind=data.kind
    )
    problems = Problems()
    _apply_question(question, data, locked=False, problems=problems)
    problems.raise_any()
    survey.questions.append(question)
    survey.updated_at = now
    db.session.flush()
    return question


def update_question(
    question: SurveyQuestion, actor, data: QuestionData, *, now: datetime
) -> None:
    """Change a question; once responses exist only texts and additions are allowed."""
    survey = question.survey
    require_manager(actor, survey.event)
    locked = has_responses(survey)
    if data.kind not in QUESTION_KINDS:
        raise ValidationFailed(_("Choose a question type."), field="kind")
    problems = Problems()
    if locked and data.kind != question.kind:
        problems.add(locked_reason(_("a question cannot change its type")), "kind")
    else:
        question.kind = data.kind
    _apply_question(question, data, locked=locked, problems=problems)
    problems.raise_any()
    survey.updated_at = now
    db.session.flush()


def delete_question(question: SurveyQuestion, actor, *, now: datetime) -> None:
    survey = question.survey
    require_manager(actor, survey.event)
    if has_responses(survey):
        raise ValidationFailed(locked_reason(_("questions cannot be deleted")))
    survey.questions.remove(question)
    survey.updated_at = now
    db.session.flush()


def move_question(
    question: SurveyQuestion, actor, direction: str, *, now: datetime
) -> None:
    """Swap a question with its neighbour above ('up') or below ('down')."""
    survey = question.survey
    require_manager(actor, survey.event)
    ordered = list(survey.questions)
    for position, item in enumerate(ordered, start=1):
        item.position = position  # close any gaps before swapping
    index = ordered.index(question)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ordered):
        return
    ordered[index].position, ordered[other].position = (
        ordered[other].position,
        ordered[index].position,
    )
    survey.updated_at = now
    db.session.flush()
    db.session.expire(survey, ["questions"])


def _apply_question(
    question: SurveyQuestion, data: QuestionData, *, locked: bool, problems: Problems
) -> None:
    """Apply the input to the question, noting every problem in ``problems``
    (the caller raises them; what was applied is then rolled back)."""
    kind = data.kind
    text = problems.take(clean_text, data.text, "text", max_length=500, required=True)
    help_text = problems.take(clean_text, data.help_text, "help_text", max_length=1000)
    question.text, question.help_text = text or "", help_text or ""
    question.required = bool(data.required)
    allow_other = bool(data.allow_other) and kind == "single_choice"
    if locked and question.allow_other and not allow_other:
        problems.add(
            locked_reason(_("“Other, please specify” cannot be switched off")),
            "allow_other",
        )
    else:
        question.allow_other = allow_other
    _apply_limits(question, data, problems)
    if kind in SCALE_KINDS:
        _apply_scale(question, data, problems)
    options_ok = _apply_rows(question, "option", data.options,
                             wanted=kind in CHOICE_KINDS, locked=locked,
                             field="new_options", problems=problems)  # fmt: skip
    statements_ok = _apply_rows(question, "statement", data.statements,
                                wanted=kind == "likert_matrix", locked=locked,
                                field="new_statements",
                                problems=problems)  # fmt: skip
    remaining = question.options
    if options_ok and kind in CHOICE_KINDS and len(remaining) < 2:
        problems.add(_("Give at least two options, one per line."), "new_options")
    if statements_ok and kind == "likert_matrix" and not question.statements:
        problems.add(_("Give at least one statement, one per line."), "new_statements")
    if (
        options_ok
        and not problems.has("min_choices")
        and kind == "multiple_choice"
        and (question.min_choices or 0) > len(remaining)
    ):
        problems.add(
            _("The minimum is more than the number of options."), "min_choices"
        )


def _apply_scale(
    question: SurveyQuestion, data: QuestionData, problems: Problems
) -> None:
    labels = [
        problems.take(clean_text, label, "scale_labels", max_length=60)
        for label in data.scale_labels
    ]
    if problems.has("scale_labels"):
        return
    if len(labels) != 5 or not all(labels):
        problems.add(_("Give a label for each of the five points."), "scale_labels")
        return
    # A label rewritten loses its translations (they were of the old
    # words): the Languages page shows it missing again.
    before = list(question.scale_labels or [])
    changed = {
        scale_key(point)
        for point, label in enumerate(labels, 1)
        if point > len(before) or before[point - 1] != label
    }
    drop_translations(question, changed)
    question.scale_labels = labels


def _apply_limits(
    question: SurveyQuestion, data: QuestionData, problems: Problems
) -> None:
    question.min_choices = question.max_choices = None
    question.min_value = question.max_value = None
    if data.kind == "multiple_choice":
        low, high = data.min_choices, data.max_choices
        if low is not None and low < 0:
            problems.add(_("Zero or more, please."), "min_choices")
        if high is not None and high < 1:
            problems.add(_("One or more, please."), "max_choices")
        for name, value in (("min_choices", low), ("max_choices", high)):
            if value is not None and value > MAX_OPTIONS:
                problems.add(_("At most %(n)d, please.", n=MAX_OPTIONS), name)
        if problems.has("min_choices") or problems.has("max_choices"):
            return
        if low is not None and high is not None and high < low:
            problems.add(_("The maximum must not be below the minimum."), "max_choices")
            return
        question.min_choices, question.max_choices = low or None, high
    elif data.kind == "number":
        low, high = data.min_value, data.max_value
        for name, value in (("min_value", low), ("max_value", high)):
            if value is not None and not abs(value) <= MAX_NUMBER_LIMIT:  # NaN too
                problems.add(_("A number between -10^15 and 10^15, please."), name)
        if problems.has("min_value") or problems.has("max_value"):
            return
        if low is not None and high is not None and high < low:
            problems.add(_("The maximum must not be below the minimum."), "max_value")
            return
        question.min_value, question.max_value = low, high


def _apply_rows(
    question: SurveyQuestion,
    role: str,
    edits: list[OptionEdit],
    *,
    wanted: bool,
    locked: bool,
    field: str,
    problems: Problems,
) -> bool:
    """Apply option/statement edits: correct labels, add, remove (not when
    locked). False when a problem was noted (one per list: they are rows of
    one field)."""
    current = {o.id: o for o in question.all_options if o.role == role}
    if not wanted:
        edits = [
            OptionEdit(label=o.label, id=o.id, remove=True) for o in current.values()
        ]
    try:
        _apply_edits(question, role, edits, current, locked=locked, field=field)
    except ValidationFailed as exc:
        problems.found.extend(exc.problems)
        return False
    return True


def _apply_edits(question, role, edits, current, *, locked: bool, field: str):
    seen_labels: set[str] = set()
    position = 0
    for edit in edits:
        row = current.get(edit.id) if edit.id is not None else None
        if edit.id is not None and row is None:
            raise ValidationFailed(_("That option no longer exists."), field=field)
        label = clean_text(edit.label, field, max_length=300)
        if edit.remove or not label:
            if row is None:
                continue
            if locked:
                raise ValidationFailed(
                    locked_reason(_("options and statements cannot be removed")),
                    field=field,
                )
            question.all_options.remove(row)
            continue
        if label.casefold() in seen_labels:
            raise ValidationFailed(
                _("“%(label)s” is listed twice.", label=label), field=field
            )
        seen_labels.add(label.casefold())
        position += 1
        if row is None:
            row = SurveyOption(role=role, label=label, position=position)
            question.all_options.append(row)
        else:
            row.label, row.position = label, position
    mentioned = {edit.id for edit in edits}
    for row in current.values():
        if row.id not in mentioned and row in question.all_options:
            position += 1  # rows the form did not send are kept, at the end
            row.position = position
    if position > MAX_OPTIONS:
        raise ValidationFailed(
            _("At most %(n)d rows, please.", n=MAX_OPTIONS), field=field
        )
