"""One vote per participant per question, and no answer after a close, under
requests at once (threads with their own connections; both databases)."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.errors import Conflict
from consult.extensions import db
from consult.live.models import LivePollAnswer, LiveQuestionVote
from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)
from consult.live.services.questions import ask, moderate, upvote
from consult.registration.models import Registration
from tests.registration.test_concurrency import run_together


def _count(model, **where):
    db.session.rollback()
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_twenty_votes_at_once_by_one_person_count_once(
    app, live_event, people, organiser, during
):
    asker, voter = people(live_event, 2)
    question = ask(asker, "Once?", anonymous=False, now=during)
    moderate(organiser, live_event, question.id, "approve", now=during)
    question_id, voter_id = question.id, voter.id

    def voting():
        return upvote(db.session.get(Registration, voter_id), question_id, now=during)

    results, errors = run_together(app, [voting] * 20)
    assert errors == []
    assert sorted(results) == [False] * 19 + [True]
    assert _count(LiveQuestionVote, question_id=question_id) == 1


def test_many_people_voting_at_once_are_all_counted(
    app, live_event, people, organiser, during
):
    (asker,) = people(live_event, 1)
    voters = [p.id for p in people(live_event, 15)]
    question = ask(asker, "Everyone?", anonymous=False, now=during)
    moderate(organiser, live_event, question.id, "approve", now=during)
    question_id = question.id

    def voting(voter_id):
        return lambda: upvote(
            db.session.get(Registration, voter_id), question_id, now=during
        )

    results, errors = run_together(app, [voting(v) for v in voters])
    assert errors == [] and results == [True] * 15
    assert _count(LiveQuestionVote, question_id=question_id) == 15


def test_no_answer_lands_after_the_close(app, live_event, people, organiser, during):
    poll = create_poll(
        organiser, live_event, PollData("single", "Now?", ["Yes", "No"]), now=during
    )
    change_poll(organiser, live_event, poll.id, "launch", now=during)
    poll_id, option_id, event_id = poll.id, poll.options[0].id, live_event.id
    organiser_id = organiser.id
    answering = [p.id for p in people(live_event, 12)]

    def answering_job(registration_id):
        def job():
            person = db.session.get(Registration, registration_id)
            try:
                answer_poll(person, poll_id, AnswerData([option_id]), now=during)
            except Conflict:
                return "refused"
            return "counted"

        return job

    def closing():
        from consult.auth.models import User
        from consult.events.models import Event

        change_poll(
            db.session.get(User, organiser_id),
            db.session.get(Event, event_id),
            poll_id,
            "close",
            now=during,
        )
        # What the moderator sees as the final count when the close lands.
        return db.session.scalar(
            select(func.count()).where(LivePollAnswer.poll_id == poll_id)
        )

    results, errors = run_together(
        app, [answering_job(r) for r in answering] + [closing]
    )
    assert errors == []
    (seen_at_close,) = [r for r in results if isinstance(r, int)]
    counted = results.count("counted")
    assert counted + results.count("refused") == 12
    # No answer landed after the close: the count then is the final one.
    assert _count(LivePollAnswer, poll_id=poll_id) == counted == seen_at_close
