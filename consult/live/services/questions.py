"""Questions: participants ask and upvote; moderators approve, hide, mark
answered, merge duplicates and pin one "now discussing".

Every write moves the event's data version in the same transaction, which
is what the live room's pollers compare.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.data_versions import bump_data_version
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.live.models import QUESTION_MAX, LiveQuestion, LiveQuestionVote
from consult.live.services.moderators import require_moderator
from consult.live.services.participants import require_open_room
from consult.live.services.window import settings_of
from consult.registration.models import Registration
from consult.text import clean_text

MODERATIONS = ("approve", "hide", "answer", "pin", "unpin")
# Questions participants see (besides their own).
SHOWN_STATES = ("approved", "answered")


def ask(
    registration: Registration, text: str, *, anonymous: bool, now: datetime
) -> LiveQuestion:
    """A participant's question, pending until a moderator approves it."""
    require_open_room(registration, now=now)
    settings = settings_of(registration.event)
    if not settings.questions_enabled:
        raise Conflict(_("Questions are closed in this live room."))
    cleaned = " ".join(
        clean_text(text, "text", max_length=QUESTION_MAX, required=True).split()
    )
    question = LiveQuestion(
        event_id=registration.event_id,
        registration_id=registration.id,
        text=cleaned,
        anonymous=bool(anonymous) and settings.anonymous_allowed,
        created_at=now,
    )
    db.session.add(question)
    bump_data_version(registration.event_id)
    db.session.flush()
    return question


def _question_of(event_id: int, question_id: int) -> LiveQuestion:
    question = db.session.get(LiveQuestion, question_id)
    if question is None or question.event_id != event_id:
        raise NotFound(_("No such question."))
    return question


def question_in(event: Event, question_id: int) -> LiveQuestion:
    """The event's question with this id; NotFound for another event's."""
    return _question_of(event.id, question_id)


def upvote(registration: Registration, question_id: int, *, now: datetime) -> bool:
    """Upvote a shown question once; False when this person had already voted.

    The unique constraint decides between two requests at once: the second
    insert fails inside its savepoint and changes nothing.
    """
    require_open_room(registration, now=now)
    question = _question_of(registration.event_id, question_id)
    if question.state != "approved" or question.merged_into_id is not None:
        raise Conflict(_("This question cannot take votes."))
    try:
        with db.session.begin_nested():
            db.session.add(
                LiveQuestionVote(
                    question_id=question.id,
                    registration_id=registration.id,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    bump_data_version(registration.event_id)
    db.session.flush()
    return True


def moderate(actor, event: Event, question_id: int, action: str, *, now: datetime):
    """approve, hide, answer (mark answered), pin or unpin one question."""
    require_moderator(actor, event)
    if action not in MODERATIONS:
        raise ValidationFailed(_("Unknown action."), "action")
    question = _question_of(event.id, question_id)
    if question.merged_into_id is not None:
        raise Conflict(_("This question was merged into another."))
    if action == "pin":
        _unpin_all(event.id, keep=question.id)
        question.state = "approved"
        question.pinned = True
    elif action == "unpin":
        question.pinned = False
    else:
        question.pinned = False
        question.state = {"approve": "approved", "hide": "hidden"}.get(
            action, "answered"
        )
    question.moderated_at = now
    question.moderated_by_id = actor.id
    bump_data_version(event.id)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Another moderator pinned a question at the same instant.
        raise Conflict(_("Another question was pinned at the same time.")) from exc
    return question


def _unpin_all(event_id: int, *, keep: int) -> None:
    db.session.execute(
        update(LiveQuestion)
        .where(
            LiveQuestion.event_id == event_id,
            LiveQuestion.pinned.is_(True),
            LiveQuestion.id != keep,
        )
        .values(pinned=False)
        .execution_options(synchronize_session="fetch")
    )


def merge(actor, event: Event, question_id: int, into_id: int | None, *, now):
    """Merge a duplicate into another question: its votes move there (once per
    person), and it leaves the list."""
    require_moderator(actor, event)
    question = _question_of(event.id, question_id)
    if into_id is None or into_id == question.id:
        raise ValidationFailed(_("Choose another question."), "into")
    target = _question_of(event.id, into_id)
    if target.merged_into_id is not None or target.state == "hidden":
        raise ValidationFailed(_("Choose a question still shown."), "into")
    voters = select(LiveQuestionVote.registration_id).where(
        LiveQuestionVote.question_id == question.id
    )
    already = select(LiveQuestionVote.registration_id).where(
        LiveQuestionVote.question_id == target.id
    )
    wanting = {question.registration_id, *db.session.scalars(voters)}
    wanting -= set(db.session.scalars(already))
    wanting.discard(target.registration_id)
    for registration_id in sorted(wanting):
        db.session.add(
            LiveQuestionVote(
                question_id=target.id, registration_id=registration_id, created_at=now
            )
        )
    # Questions merged into this one follow it.
    db.session.execute(
        update(LiveQuestion)
        .where(LiveQuestion.merged_into_id == question.id)
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session="fetch")
    )
    question.merged_into_id = target.id
    question.pinned = False
    question.state = "hidden"
    question.moderated_at = now
    question.moderated_by_id = actor.id
    if target.state == "pending":
        target.state = "approved"
    bump_data_version(event.id)
    db.session.flush()
    return target


def vote_counts(event_id: int) -> dict[int, int]:
    """Each question's number of votes."""
    rows = db.session.execute(
        select(LiveQuestionVote.question_id, func.count())
        .join(LiveQuestion, LiveQuestion.id == LiveQuestionVote.question_id)
        .where(LiveQuestion.event_id == event_id)
        .group_by(LiveQuestionVote.question_id)
    )
    return dict(rows.all())


def questions_of(event_id: int, *, states=None) -> list[LiveQuestion]:
    """The event's questions (in the given states), oldest first."""
    # The askers' names in one more query, not one per question.
    query = (
        select(LiveQuestion)
        .where(LiveQuestion.event_id == event_id)
        .options(selectinload(LiveQuestion.registration))
    )
    if states is not None:
        query = query.where(LiveQuestion.state.in_(states))
    return list(db.session.scalars(query.order_by(LiveQuestion.id)))


def questions_by(registration: Registration) -> list[LiveQuestion]:
    """The questions this participant asked (merged ones left out), oldest first."""
    return list(
        db.session.scalars(
            select(LiveQuestion)
            .where(
                LiveQuestion.registration_id == registration.id,
                LiveQuestion.merged_into_id.is_(None),
            )
            .order_by(LiveQuestion.id)
        )
    )


def votes_of(registration: Registration) -> set[int]:
    """The questions this participant upvoted."""
    return set(
        db.session.scalars(
            select(LiveQuestionVote.question_id).where(
                LiveQuestionVote.registration_id == registration.id
            )
        )
    )


def has_voted(registration_id: int, question_id: int) -> bool:
    return db.session.scalar(
        select(
            exists().where(
                LiveQuestionVote.registration_id == registration_id,
                LiveQuestionVote.question_id == question_id,
            )
        )
    )
