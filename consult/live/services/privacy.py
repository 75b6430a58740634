"""A participant's live-room data in their data download, and what erasure removes.

As for surveys' named answers (consult/surveys/services/privacy.py): an
erased registration counts in no figure, and what it said or chose in the
room goes with it: its questions (anonymous ones too: moderators could always
see who asked, and a question's text may name the person), its upvotes and
its poll answers. Others' questions a moderator had merged into one of its
questions stay out of the room: they are hidden rather than brought back.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from consult.data_versions import bump_data_version
from consult.extensions import db
from consult.live.models import (
    LivePoll,
    LivePollAnswer,
    LivePollOption,
    LiveQuestion,
    LiveQuestionVote,
)
from consult.registration.models import Registration
from consult.registration.services.privacy import on_erase, on_export
from consult.timeutil import iso_utc


def export_live_data(registration: Registration) -> dict:
    """The person's questions, upvotes and poll answers in the live room."""
    questions = db.session.scalars(
        select(LiveQuestion)
        .where(LiveQuestion.registration_id == registration.id)
        .order_by(LiveQuestion.id)
    )
    voted = db.session.scalars(
        select(LiveQuestion.text)
        .join(LiveQuestionVote, LiveQuestionVote.question_id == LiveQuestion.id)
        .where(LiveQuestionVote.registration_id == registration.id)
        .order_by(LiveQuestionVote.id)
    )
    answers = db.session.execute(
        select(LivePollAnswer, LivePoll.prompt)
        .join(LivePoll, LivePoll.id == LivePollAnswer.poll_id)
        .where(LivePollAnswer.registration_id == registration.id)
        .order_by(LivePollAnswer.id)
    ).all()
    chosen = {o for answer, _prompt in answers for o in answer.option_ids or []}
    labels = dict(
        db.session.execute(
            select(LivePollOption.id, LivePollOption.label).where(
                LivePollOption.id.in_(chosen)
            )
        ).all()
    ) if chosen else {}  # fmt: skip
    return {
        "questions": [
            {
                "text": q.text,
                "anonymous": q.anonymous,
                "state": q.state,
                "asked_at": iso_utc(q.created_at),
            }
            for q in questions
        ],
        "upvoted": list(voted),
        "poll_answers": [
            {
                "poll": prompt,
                "options": [labels.get(o, "") for o in answer.option_ids or []],
                "rating": answer.rating,
                "words": answer.word,
                "answered_at": iso_utc(answer.created_at),
            }
            for answer, prompt in answers
        ],
    }


def erase_live_data(registration: Registration) -> None:
    """On erasure: the person's questions, upvotes and poll answers go."""
    mine = select(LiveQuestion.id).where(
        LiveQuestion.registration_id == registration.id
    )
    touched = db.session.execute(
        update(LiveQuestion)
        .where(LiveQuestion.merged_into_id.in_(mine))
        .values(merged_into_id=None, state="hidden", pinned=False)
        .returning(LiveQuestion.id)
    ).all()
    # Others' upvotes of the person's questions go with them.
    votes = delete(LiveQuestionVote).where(LiveQuestionVote.question_id.in_(mine))
    gone = [db.session.execute(votes).rowcount] + [
        db.session.execute(
            delete(model).where(model.registration_id == registration.id)
        ).rowcount
        for model in (LiveQuestionVote, LivePollAnswer, LiveQuestion)
    ]
    if touched or any(gone):
        bump_data_version(registration.event_id)


on_erase(erase_live_data)
on_export("live", export_live_data)
