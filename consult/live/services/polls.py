"""Polls: moderators prepare them before the event, launch and close them
live; participants answer once while a poll is open.

An answer and a close can meet: the answer locks the poll's row (PostgreSQL
``FOR UPDATE``; SQLite writes take the database lock up front) and checks it
is still open, so no answer lands after the close that a moderator saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.challenges.models import Challenge
from consult.data_versions import bump_data_version
from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.live.models import (
    MAX_OPTIONS,
    OPTION_MAX,
    POLL_KINDS,
    PROMPT_MAX,
    WORD_MAX,
    LivePoll,
    LivePollAnswer,
    LivePollOption,
)
from consult.live.services.moderators import require_moderator
from consult.live.services.participants import require_open_room
from consult.registration.models import Registration
from consult.text import clean_text

CHOICE_KINDS = ("single", "multiple")
POLL_ACTIONS = ("launch", "close", "show", "hide", "delete")


@dataclass(frozen=True)
class PollData:
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)


def _challenges(event: Event) -> list[Challenge]:
    return list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.event_id == event.id, Challenge.archived_at.is_(None))
            .order_by(Challenge.position, Challenge.id)
        )
    )


def create_poll(actor, event: Event, data: PollData, *, now: datetime) -> LivePoll:
    """A draft poll; a ranking takes the event's challenges as its options."""
    require_moderator(actor, event)
    problems = Problems()
    if data.kind not in POLL_KINDS:
        problems.add(_("Choose a kind of poll."), "kind")
    prompt = problems.take(
        clean_text, data.prompt, "prompt", max_length=PROMPT_MAX, required=True
    )
    labels = []
    for line in data.options if data.kind in CHOICE_KINDS else []:
        label = problems.take(clean_text, line, "options", max_length=OPTION_MAX)
        if label and label not in labels:
            labels.append(label)
    if data.kind in CHOICE_KINDS and not 2 <= len(labels) <= MAX_OPTIONS:
        problems.add(
            _("Give from 2 to %(n)d options, one a line.", n=MAX_OPTIONS), "options"
        )
    challenges = _challenges(event) if data.kind == "ranking" else []
    if data.kind == "ranking" and len(challenges) < 2:
        problems.add(_("A ranking needs at least two challenges."), "kind")
    problems.raise_any()
    poll = LivePoll(event_id=event.id, kind=data.kind, prompt=prompt, created_at=now)
    poll.options = [
        LivePollOption(label=label, position=i) for i, label in enumerate(labels)
    ] + [
        LivePollOption(label=c.title[:OPTION_MAX], position=i, challenge_id=c.id)
        for i, c in enumerate(challenges)
    ]
    db.session.add(poll)
    bump_data_version(event.id)
    db.session.flush()
    return poll


def _poll_of(event_id: int, poll_id: int, *, lock: bool = False) -> LivePoll:
    query = select(LivePoll).where(LivePoll.id == poll_id)
    if lock:
        query = query.with_for_update()
    poll = db.session.scalar(query)
    if poll is None or poll.event_id != event_id:
        raise NotFound(_("No such poll."))
    return poll


def poll_in(event: Event, poll_id: int) -> LivePoll:
    """The event's poll with this id; NotFound for another event's."""
    return _poll_of(event.id, poll_id)


def change_poll(actor, event: Event, poll_id: int, action: str, *, now: datetime):
    """launch (draft to open), close (open to closed), show or hide its results
    to participants, or delete a draft."""
    require_moderator(actor, event)
    if action not in POLL_ACTIONS:
        raise ValidationFailed(_("Unknown action."), "action")
    poll = _poll_of(event.id, poll_id, lock=True)
    if action == "launch":
        _expect(poll, "draft")
        poll.state, poll.opened_at = "open", now
    elif action == "close":
        _expect(poll, "open")
        poll.state, poll.closed_at = "closed", now
    elif action == "delete":
        _expect(poll, "draft")
        db.session.delete(poll)
    else:
        poll.results_shown = action == "show"
    bump_data_version(event.id)
    db.session.flush()
    return poll


def _expect(poll: LivePoll, state: str) -> None:
    if poll.state != state:
        raise Conflict(_("This poll has changed meanwhile: look again."))


@dataclass(frozen=True)
class AnswerData:
    option_ids: list[int] = field(default_factory=list)
    rating: int | None = None
    word: str = ""
    # A ranking: option id -> rank given (1 first).
    ranks: dict = field(default_factory=dict)


def answer_poll(
    registration: Registration, poll_id: int, data: AnswerData, *, now: datetime
) -> LivePollAnswer:
    """A participant's one answer to an open poll."""
    require_open_room(registration, now=now)
    poll = _poll_of(registration.event_id, poll_id, lock=True)
    if poll.state != "open":
        raise Conflict(_("This poll is not open."))
    answer = LivePollAnswer(
        poll_id=poll.id, registration_id=registration.id, created_at=now
    )
    _fill(answer, poll, data)
    try:
        with db.session.begin_nested():
            db.session.add(answer)
    except IntegrityError as exc:
        raise Conflict(_("You have already answered this poll.")) from exc
    bump_data_version(registration.event_id)
    db.session.flush()
    return answer


def _fill(answer: LivePollAnswer, poll: LivePoll, data: AnswerData) -> None:
    known = [o.id for o in poll.options]
    chosen = list(dict.fromkeys(data.option_ids))
    if poll.kind == "rating":
        if data.rating is None or not 1 <= data.rating <= 5:
            raise ValidationFailed(_("Choose a rating from 1 to 5."), "rating")
        answer.rating = data.rating
    elif poll.kind == "words":
        word = " ".join(
            clean_text(data.word, "word", max_length=WORD_MAX, required=True).split()
        )
        answer.word = word
    elif poll.kind == "ranking":
        ranks = data.ranks or {o: i for i, o in enumerate(data.option_ids, 1)}
        given = [ranks.get(o) for o in known]
        if None in given or sorted(given) != list(range(1, len(known) + 1)):
            raise ValidationFailed(_("Give each challenge a different rank."), "rank")
        answer.option_ids = sorted(known, key=lambda o: ranks[o])
    else:
        if not chosen or any(o not in known for o in chosen):
            raise ValidationFailed(_("Choose an option."), "option")
        if poll.kind == "single" and len(chosen) > 1:
            raise ValidationFailed(_("Choose one option."), "option")
        answer.option_ids = chosen


def polls_of(event_id: int, *, states=None) -> list[LivePoll]:
    query = (
        select(LivePoll)
        .where(LivePoll.event_id == event_id)
        .options(selectinload(LivePoll.options))
    )
    if states is not None:
        query = query.where(LivePoll.state.in_(states))
    return list(db.session.scalars(query.order_by(LivePoll.id)))


def answered_by(registration: Registration) -> set[int]:
    """The polls this participant answered."""
    return set(
        db.session.scalars(
            select(LivePollAnswer.poll_id).where(
                LivePollAnswer.registration_id == registration.id
            )
        )
    )
