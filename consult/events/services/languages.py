"""An event's content languages and the translations of its texts.

The organiser chooses the language the event's texts are written in and the
other languages it offers; the translations page lists every text a
participant reads (see ``content_texts``) with its translation into one of
those languages, the missing ones marked. consult/content.py stores and
reads them.

Besides a row's ``TRANSLATED`` columns, two lists are translated item by item
(``_fields``): the choices of a registration question, keyed by the choice's
canonical text (a reordered choice keeps its translations; a renamed one
starts missing), and the labels the organiser wrote for a survey scale, keyed
by the point (default labels come translated from the interface catalogue).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import String, select

from consult.challenges.models import Challenge
from consult.content import (
    MAX_TRANSLATION,
    choice_key,
    event_languages,
    scale_key,
    set_translation,
    stored,
)
from consult.errors import Problems, ValidationFailed
from consult.events.access import require_manager
from consult.events.models import AgendaSession, Event
from consult.extensions import db
from consult.notifications.models import ReminderPlanItem
from consult.registration.models import RegistrationQuestion, StakeholderType
from consult.surveys.models import SCALE_KINDS, Survey, SurveyOption, SurveyQuestion

# What each translatable field is called on the translations page.
FIELD_NAMES = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "description_md": _l("Description"),
    "description": _l("Description"),
    "label": _l("Label"),
    "help_text": _l("Help text"),
    "introduction": _l("Introduction"),
    "text": _l("Question"),
    "subject": _l("Subject"),
    "body": _l("Message"),
    "sms_body": _l("SMS text"),
}
# Fields written in Markdown or long enough for several lines.
MULTILINE = {
    "description_md",
    "description",
    "introduction",
    "body",
    "help_text",
    "sms_body",
}
# Form keys name the row by a short kind, never the table.
KINDS = {
    "event": Event,
    "session": AgendaSession,
    "type": StakeholderType,
    "regq": RegistrationQuestion,
    "challenge": Challenge,
    "survey": Survey,
    "surveyq": SurveyQuestion,
    "option": SurveyOption,
    "reminder": ReminderPlanItem,
}
_KIND_OF = {model: kind for kind, model in KINDS.items()}
# The longest choice of a registration question and survey scale label.
CHOICE_LIMIT = 200
SCALE_LABEL_LIMIT = 60


@dataclass(frozen=True)
class _Field:
    """One translatable text of a row: a column, a choice or a scale label."""

    token: str  # names it in the form key, safe in an HTML id
    key: str  # where its translations are stored (consult/content.py)
    label: str
    original: str
    limit: int
    multiline: bool


def _fields(row, *, written: bool = True) -> list[_Field]:
    """The row's texts, in the order they are read; with `written`, the non-empty."""
    fields = [
        _Field(
            field,
            field,
            str(FIELD_NAMES[field]),
            getattr(row, field) or "",
            _limit(row, field),
            field in MULTILINE,
        )
        for field in row.TRANSLATED
    ]
    if isinstance(row, RegistrationQuestion) and row.kind == "choice":
        for number, choice in enumerate(row.choices or [], 1):
            digest = hashlib.sha256(choice.encode()).hexdigest()[:12]
            fields.append(
                _Field(
                    f"choice-{digest}",
                    choice_key(choice),
                    _("Choice %(n)d", n=number),
                    choice,
                    CHOICE_LIMIT,
                    False,
                )
            )
    if isinstance(row, SurveyQuestion) and row.kind in SCALE_KINDS:
        for point, label in row.own_scale_labels:
            fields.append(
                _Field(
                    f"scale-{point}",
                    scale_key(point),
                    _("Scale point %(n)d", n=point),
                    label,
                    SCALE_LABEL_LIMIT,
                    False,
                )
            )
    return [f for f in fields if f.original.strip() or not written]


@dataclass(frozen=True)
class ContentText:
    """One text of the event as the translations page shows it."""

    key: str  # the form field: "<kind>-<id>-<field>"
    group: str  # the heading it is listed under
    label: str
    original: str
    translation: str
    multiline: bool
    limit: int

    @property
    def missing(self) -> bool:
        return bool(self.original) and not self.translation


def _limit(row, field: str) -> int:
    column_type = row.__table__.columns[field].type
    if isinstance(column_type, String) and column_type.length:
        return column_type.length
    return MAX_TRANSLATION


def _rows(event: Event) -> list[tuple[str, object]]:
    """(group heading, row) for every row of the event with texts to translate."""
    rows: list[tuple[str, object]] = [(_("Event"), event)]
    sessions = db.session.scalars(
        select(AgendaSession)
        .where(AgendaSession.event_id == event.id)
        .order_by(AgendaSession.start_at, AgendaSession.id)
    )
    rows += [(_("Agenda"), session) for session in sessions]
    types = db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id == event.id)
        .order_by(StakeholderType.position, StakeholderType.id)
    )
    rows += [(_("Stakeholder types"), kind) for kind in types]
    questions = db.session.scalars(
        select(RegistrationQuestion)
        .where(RegistrationQuestion.event_id == event.id)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    )
    rows += [(_("Registration questions"), question) for question in questions]
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == event.id, Challenge.archived_at.is_(None))
        .order_by(Challenge.position, Challenge.id)
    )
    rows += [(_("Challenges"), challenge) for challenge in challenges]
    surveys = db.session.scalars(
        select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)
    )
    for survey in surveys:
        heading = _("Survey: %(title)s", title=survey.title)
        rows.append((heading, survey))
        for question in survey.questions:
            rows.append((heading, question))
            rows += [(heading, option) for option in question.all_options]
    items = db.session.scalars(
        select(ReminderPlanItem)
        .where(ReminderPlanItem.event_id == event.id)
        .order_by(ReminderPlanItem.position, ReminderPlanItem.id)
    )
    rows += [(_("Reminders and follow-ups"), item) for item in items]
    return rows


def content_texts(event: Event, language: str) -> list[ContentText]:
    """Every text of the event a participant reads, with its `language` text."""
    texts = []
    for group, row in _rows(event):
        kind = _KIND_OF[type(row)]
        for field in _fields(row):  # nothing written: nothing to translate
            texts.append(
                ContentText(
                    key=f"{kind}-{row.id}-{field.token}",
                    group=group,
                    label=field.label,
                    original=field.original,
                    translation=stored(row, field.key, language),
                    multiline=field.multiline,
                    limit=field.limit,
                )
            )
    return texts


def missing_in(rows, language: str) -> int:
    """How many texts of `rows` (None ignored) have no `language` translation."""
    return sum(
        1
        for row in rows
        if row is not None
        for field in _fields(row)
        if not stored(row, field.key, language)
    )


def missing_counts(event: Event) -> dict[str, int]:
    """Language -> how many of the event's texts it lacks (other languages only)."""
    rows = _rows(event)
    counts = {}
    for language in event_languages(event)[1:]:
        counts[language] = sum(
            1
            for _group, row in rows
            for field in _fields(row)
            if not stored(row, field.key, language)
        )
    return counts


def _offered(event: Event, language: str) -> None:
    if language not in event_languages(event)[1:]:
        raise ValidationFailed(_("This event does not offer that language."))


def save_translations(
    event: Event, actor, language: str, values: dict[str, str], *, now: datetime
) -> int:
    """Store the translations posted from the page; how many changed.

    Only the event's own texts are touched (a key naming another event's row
    is refused); an empty value removes a translation. Flushes.
    """
    require_manager(actor, event)
    _offered(event, language)
    rows = {
        f"{_KIND_OF[type(row)]}-{row.id}-{field.token}": (row, field)
        for _group, row in _rows(event)
        for field in _fields(row, written=False)
    }
    problems = Problems()
    if any(key not in rows for key in values):
        problems.add(_("These texts are not this event's."))
    for key, value in values.items():
        if key in rows and len((value or "").strip()) > rows[key][1].limit:
            problems.add(
                ngettext(
                    "At most %(num)d character.",
                    "At most %(num)d characters.",
                    rows[key][1].limit,
                ),
                key,
            )
    problems.raise_any()
    changed = 0
    for key, value in values.items():
        row, field = rows[key]
        if set_translation(row, field.key, language, value or ""):
            changed += 1
    if changed:
        event.updated_at = now
    db.session.flush()
    return changed


def set_content_languages(
    event: Event, actor, default: str, others: list[str], *, now: datetime
) -> None:
    """The language the event's texts are written in, and the others it offers."""
    require_manager(actor, event)
    known = current_app.config["LANGUAGES"]
    problems = Problems()
    if default not in known:
        problems.add(_("Choose one of the listed languages."), "default")
    if any(code not in known for code in others):
        problems.add(_("Choose among the listed languages."), "others")
    problems.raise_any()
    event.default_language = default
    # Known order, without the default; translations of a language dropped
    # are kept, so adding it back shows them again.
    event.content_languages = [c for c in known if c in others and c != default]
    event.updated_at = now
    db.session.flush()
