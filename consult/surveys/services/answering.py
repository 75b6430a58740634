"""Answering a survey: drafts, submission, edits, public-link responses.

One response per registrant is enforced twice: by the services, which lock or
insert before writing, and by the schema (UNIQUE(survey_id, registration_id)
on responses and on participations), which decides a race between concurrent
submissions.

Anonymous surveys
-----------------
The submitted answers are stored in a SurveyResponse with ``registration_id``
NULL, the person's stakeholder type copied (results split by type), and
``submitted_at`` truncated to the day. In the same transaction a
SurveyParticipation row records only that the person answered. Nothing points
from one to the other, and their order cannot pair them either: the
participation of an anonymous survey gets a random id and a ``responded_at``
truncated to the day, so the n-th participation is not the n-th response.
The response and its answers get random negative ids (``_store_anonymous``):
named responses and answers take positive ids from the sequence, so no id
says which named response an anonymous one came before or after, nor which
anonymous one came first.

Drafts of an anonymous survey cannot live in a SurveyResponse: a draft must
be found again by its author, which is exactly the link anonymity forbids.
They are kept instead in a SurveyDraft row of the person (the raw form values,
so a draft can be finished later from any device through the personal link),
and that row is deleted in the transaction that stores the unlinked response.
What survives submission is the answers without a person and the person
without the answers. Organisers never see drafts. The consequence: an
anonymous response cannot be changed after submission (nobody can find it
again), so the builder refuses "allow edit" on an anonymous survey.

Public-link surveys
-------------------
Anyone with the link answers once per browser (a signed cookie, set by the
route); a per-address rate limit, a honeypot field and a minimum fill time
(checked here from the signed start time the form carried) keep scripts out.
There are no drafts and no edits for public responses.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.facts import announce, anonymous_response
from consult.registration.models import Registration
from consult.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyDraft,
    SurveyParticipation,
    SurveyResponse,
)
from consult.surveys.services.answers import (
    AnswerValue,
    Raw,
    parse_answers,
    raw_from_answers,
)
from consult.surveys.services.audience import in_audience

# Random ids of anonymous participations: a 32-bit integer column, above the
# ids a sequence will ever hand out; a clash with another random id is retried.
_RANDOM_ID_LOW, _RANDOM_ID_HIGH = 2**30, 2**31 - 1
_RANDOM_ID_ATTEMPTS = 8
# Random ids of anonymous responses and their answers: negative 32-bit
# integers, apart from the positive ones the sequences hand out. SQLite gives
# a new row the largest id + 1, which a negative id does not raise once the
# table holds a named (positive) row; before the first one ever, named rows
# would follow the largest random id.
_NEGATIVE_ID_SPAN = 2**31 - 1


@dataclass(frozen=True)
class RegistrantState:
    """Where one registrant stands with one survey."""

    status: str  # 'not_started', 'draft' or 'submitted'
    raw: Raw
    submitted_at: datetime | None = None

    @property
    def label(self) -> str:
        return {
            "not_started": _("Not started"),
            "draft": _("Draft saved"),
            "submitted": _("Submitted"),
        }[self.status]


def start_of_day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def registrant_state(survey: Survey, registration: Registration) -> RegistrantState:
    """The registrant's draft or submitted answers (as form values), if any."""
    if survey.anonymous:
        participation = _participation(survey, registration)
        if participation is not None:
            return RegistrantState("submitted", {}, participation.responded_at)
        draft = _anonymous_draft(survey, registration)
        if draft is not None:
            return RegistrantState("draft", dict(draft.answers or {}))
        return RegistrantState("not_started", {})
    response = db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.registration_id == registration.id,
        )
    )
    if response is None:
        return RegistrantState("not_started", {})
    raw = raw_from_answers(survey.questions, response.answers)
    return RegistrantState(response.status, raw, response.submitted_at)


def can_change(survey: Survey, state: RegistrantState, now: datetime) -> bool:
    """True while the registrant may still save or submit answers."""
    if not survey.is_open(now):
        return False
    return state.status != "submitted" or survey.allow_edit


def check_can_answer(survey: Survey, registration: Registration, now: datetime):
    """PermissionDenied outside the audience, Conflict outside the window."""
    if not in_audience(survey, registration):
        raise PermissionDenied(_("This survey is not open to you."))
    _check_window(survey, now)


def _check_window(survey: Survey, now: datetime) -> None:
    if survey.opens_at is None or now < survey.opens_at:
        raise Conflict(_("This survey is not open yet."))
    if not survey.is_open(now):
        raise Conflict(_("This survey has closed; answers can no longer be changed."))


def save_draft(
    survey: Survey, registration: Registration, raw: Raw, *, now: datetime
) -> None:
    """Keep unfinished answers to finish later; nothing counts until submitted."""
    check_can_answer(survey, registration, now)
    values = parse_answers(survey, raw, complete=False)
    if survey.anonymous:
        if _participation(survey, registration) is not None:
            raise Conflict(_("You have already answered this survey."))
        draft = _anonymous_draft(survey, registration) or _new_draft(
            survey, registration, now=now
        )
        draft.answers = {key: list(value) for key, value in raw.items()}
        draft.updated_at = now
        db.session.flush()
        return
    response = _locked_response(survey, registration)
    if response.status == "submitted":
        raise Conflict(
            _(
                "Your response is already submitted. To change it, use "
                "“Submit my answers” again."
            )
        )
    _replace_answers(response, values)
    db.session.flush()


def submit_response(
    survey: Survey, registration: Registration, raw: Raw, *, now: datetime
) -> SurveyResponse:
    """Submit (or, where allowed, change) the registrant's one response."""
    check_can_answer(survey, registration, now)
    values = parse_answers(survey, raw, complete=True)
    if survey.anonymous:
        return _submit_anonymous(survey, registration, values, now=now)
    response = _locked_response(survey, registration)
    if response.status == "submitted" and not survey.allow_edit:
        raise Conflict(_("You have already answered this survey."))
    _replace_answers(response, values)
    if response.status != "submitted":
        response.status, response.submitted_at = "submitted", now
        response.stakeholder_type_id = registration.stakeholder_type_id
        _record_participation(survey, registration, responded_at=now)
    db.session.flush()
    announce(survey.event, "survey.response", response, now=now)
    return response


def _submit_anonymous(
    survey: Survey, registration: Registration, values, *, now: datetime
) -> SurveyResponse:
    day = start_of_day(now)
    # The participation goes first: its unique key decides a race, and a
    # refused second submission stores no answers.
    if not _record_participation(
        survey, registration, responded_at=day, random_id=True
    ):
        raise Conflict(_("You have already answered this survey."))
    response = _store_anonymous(
        survey, registration.stakeholder_type_id, values, submitted_at=day
    )
    db.session.execute(
        delete(SurveyDraft).where(
            SurveyDraft.survey_id == survey.id,
            SurveyDraft.registration_id == registration.id,
        )
    )
    db.session.flush()
    announce(survey.event, "survey.response", anonymous_response(survey, day), now=now)
    return response


def submit_public(
    survey: Survey,
    raw: Raw,
    *,
    now: datetime,
    started_at: datetime | None,
    min_seconds: int,
) -> SurveyResponse:
    """Store one response through the public link (no person, no type)."""
    if survey.audience != "public":
        raise PermissionDenied(_("This survey has no public link."))
    _check_window(survey, now)
    if started_at is None or now - started_at < timedelta(seconds=min_seconds):
        raise ValidationFailed(
            _(
                "That was quicker than anyone can read the questions. Please "
                "check your answers and send them again."
            )
        )
    values = parse_answers(survey, raw, complete=True)
    if survey.anonymous:
        day = start_of_day(now)
        announce(
            survey.event, "survey.response", anonymous_response(survey, day), now=now
        )
        return _store_anonymous(survey, None, values, submitted_at=day)
    response = SurveyResponse(
        survey_id=survey.id,
        registration_id=None,
        stakeholder_type_id=None,
        status="submitted",
        submitted_at=now,
    )
    response.answers = [value.to_row() for value in values]
    db.session.add(response)
    db.session.flush()
    announce(survey.event, "survey.response", response, now=now)
    return response


def _store_anonymous(
    survey: Survey, type_id: int | None, values, *, submitted_at: datetime
) -> SurveyResponse:
    """Insert an anonymous response and its answers under random negative ids
    (module docstring); a clash with another random id is retried. Flushes."""
    for _attempt in range(_RANDOM_ID_ATTEMPTS):
        response = SurveyResponse(
            id=_random_ids(SurveyResponse, 1)[0],
            survey_id=survey.id,
            registration_id=None,
            stakeholder_type_id=type_id,
            status="submitted",
            submitted_at=submitted_at,
        )
        answers = [value.to_row() for value in values]
        for answer, answer_id in zip(
            answers, _random_ids(SurveyAnswer, len(answers)), strict=True
        ):
            answer.id = answer_id
        response.answers = answers
        try:
            with db.session.begin_nested():
                db.session.add(response)
        except IntegrityError:
            continue  # a concurrent submission drew one of the same ids
        return response
    raise Conflict(_("Your answers could not be stored just now; please try again."))


def _random_ids(model, count: int) -> list[int]:
    """``count`` distinct random negative ids not yet taken in ``model``'s table."""
    chosen: set[int] = set()
    while True:
        while len(chosen) < count:
            chosen.add(-1 - secrets.randbelow(_NEGATIVE_ID_SPAN))
        if not chosen:
            return []
        taken = set(db.session.scalars(select(model.id).where(model.id.in_(chosen))))
        if not taken:
            return list(chosen)
        chosen -= taken


def _participation(survey: Survey, registration: Registration):
    return db.session.scalar(
        select(SurveyParticipation).where(
            SurveyParticipation.survey_id == survey.id,
            SurveyParticipation.registration_id == registration.id,
        )
    )


def _anonymous_draft(survey: Survey, registration: Registration):
    return db.session.scalar(
        select(SurveyDraft).where(
            SurveyDraft.survey_id == survey.id,
            SurveyDraft.registration_id == registration.id,
        )
    )


def _new_draft(
    survey: Survey, registration: Registration, *, now: datetime
) -> SurveyDraft:
    draft = SurveyDraft(
        survey_id=survey.id, registration_id=registration.id, answers={}, updated_at=now
    )
    try:
        with db.session.begin_nested():
            db.session.add(draft)
    except IntegrityError:  # a concurrent save made it first
        return _anonymous_draft(survey, registration)
    return draft


def _record_participation(
    survey: Survey,
    registration: Registration,
    *,
    responded_at: datetime,
    random_id: bool = False,
) -> bool:
    """Insert the participation; False when the person already has one."""
    for _attempt in range(_RANDOM_ID_ATTEMPTS if random_id else 1):
        participation = SurveyParticipation(
            survey_id=survey.id,
            registration_id=registration.id,
            responded_at=responded_at,
        )
        if random_id:
            participation.id = _RANDOM_ID_LOW + secrets.randbelow(
                _RANDOM_ID_HIGH - _RANDOM_ID_LOW
            )
        try:
            with db.session.begin_nested():
                db.session.add(participation)
        except IntegrityError:
            if _participation(survey, registration) is not None:
                return False
            continue  # another participation drew the same random id
        return True
    raise Conflict(_("Your answers could not be stored just now; please try again."))


def _locked_response(survey: Survey, registration: Registration) -> SurveyResponse:
    """The registrant's response row, created if needed, locked for this transaction."""
    query = (
        select(SurveyResponse)
        .where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.registration_id == registration.id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    response = db.session.scalar(query)
    if response is not None:
        return response
    response = SurveyResponse(
        survey_id=survey.id,
        registration_id=registration.id,
        stakeholder_type_id=registration.stakeholder_type_id,
        status="draft",
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        # Another submission inserted it and has committed: wait for its lock.
        return db.session.scalar(query)
    return response


def _replace_answers(response: SurveyResponse, values: list[AnswerValue]) -> None:
    response.answers = [value.to_row() for value in values]
