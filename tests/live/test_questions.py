"""Questions: asking, votes once per person, moderation, merging, pinning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.live.models import LiveQuestion, LiveQuestionVote
from consult.live.services.moderators import SettingsData, save_settings
from consult.live.services.questions import ask, merge, moderate, upvote
from consult.live.services.state import shared_state


def _votes(question_id):
    return db.session.scalar(
        select(func.count()).where(LiveQuestionVote.question_id == question_id)
    )


def test_a_question_waits_for_approval_then_takes_one_vote_per_person(
    live_event, people, organiser, during
):
    asker, voter = people(live_event, 2)
    question = ask(asker, "  How will  pickers be paid? ", anonymous=False, now=during)
    assert question.text == "How will pickers be paid?"
    assert question.state == "pending"
    with pytest.raises(Conflict):
        upvote(voter, question.id, now=during)
    moderate(organiser, live_event, question.id, "approve", now=during)
    assert upvote(voter, question.id, now=during) is True
    assert upvote(voter, question.id, now=during) is False
    assert _votes(question.id) == 1


def test_asking_needs_the_room_open_and_a_confirmed_seat(live_event, people, during):
    (person,) = people(live_event, 1)
    (waiting,) = people(live_event, 1, status="waitlisted")
    with pytest.raises(Conflict):
        ask(person, "Too early?", anonymous=False, now=during - timedelta(hours=1))
    late = live_event.end_at + timedelta(minutes=31)
    with pytest.raises(Conflict):
        ask(person, "Too late?", anonymous=False, now=late)
    with pytest.raises(PermissionDenied):
        ask(waiting, "Me too?", anonymous=False, now=during)
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 0


def test_a_question_is_at_most_280_characters_and_not_empty(live_event, people, during):
    (person,) = people(live_event, 1)
    with pytest.raises(ValidationFailed) as refused:
        ask(person, "x" * 281, anonymous=False, now=during)
    assert refused.value.field == "text"
    with pytest.raises(ValidationFailed):
        ask(person, "   ", anonymous=False, now=during)
    assert ask(person, "x" * 280, anonymous=False, now=during).text == "x" * 280


def test_anonymous_questions_follow_the_setting(live_event, people, organiser, during):
    (person,) = people(live_event, 1)
    assert ask(person, "Anonymous?", anonymous=True, now=during).anonymous
    save_settings(
        organiser,
        live_event,
        SettingsData(30, 30, questions_enabled=True, anonymous_allowed=False),
        now=during,
    )
    assert not ask(person, "Named?", anonymous=True, now=during).anonymous


def test_only_moderators_moderate(live_event, people, other_organiser, during):
    (person,) = people(live_event, 1)
    question = ask(person, "Who decides?", anonymous=False, now=during)
    with pytest.raises(PermissionDenied):
        moderate(other_organiser, live_event, question.id, "approve", now=during)
    assert question.state == "pending"


def test_one_pinned_question_per_event(live_event, people, organiser, during):
    (person,) = people(live_event, 1)
    first = ask(person, "First?", anonymous=False, now=during)
    second = ask(person, "Second?", anonymous=False, now=during)
    moderate(organiser, live_event, first.id, "pin", now=during)
    moderate(organiser, live_event, second.id, "pin", now=during)
    db.session.refresh(first)
    assert (first.pinned, second.pinned) == (False, True)
    assert second.state == "approved"
    # The database holds the rule even against a write that skips the service.
    db.session.commit()
    first.pinned = True
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_answered_and_hidden_questions_leave_the_vote(
    live_event, people, organiser, during
):
    asker, voter = people(live_event, 2)
    question = ask(asker, "Answered yet?", anonymous=False, now=during)
    moderate(organiser, live_event, question.id, "pin", now=during)
    moderate(organiser, live_event, question.id, "answer", now=during)
    assert (question.state, question.pinned) == ("answered", False)
    with pytest.raises(Conflict):
        upvote(voter, question.id, now=during)
    moderate(organiser, live_event, question.id, "hide", now=during)
    shown = shared_state(live_event)["questions"]
    assert question.id not in [q["id"] for q in shown]


def test_merging_moves_votes_once_and_hides_the_duplicate(
    live_event, people, organiser, during
):
    a, b, c, d = people(live_event, 4)
    original = ask(a, "Deposit schemes?", anonymous=False, now=during)
    duplicate = ask(b, "What about deposit return?", anonymous=False, now=during)
    for question in (original, duplicate):
        moderate(organiser, live_event, question.id, "approve", now=during)
    upvote(c, original.id, now=during)
    upvote(c, duplicate.id, now=during)
    upvote(d, duplicate.id, now=during)
    merge(organiser, live_event, duplicate.id, original.id, now=during)
    voters = set(
        db.session.scalars(
            select(LiveQuestionVote.registration_id).where(
                LiveQuestionVote.question_id == original.id
            )
        )
    )
    # c once, d moved, b (who asked the duplicate) counts as wanting it too.
    assert voters == {b.id, c.id, d.id}
    assert duplicate.merged_into_id == original.id
    shown = [q["id"] for q in shared_state(live_event)["questions"]]
    assert shown == [original.id]
    with pytest.raises(ValidationFailed):
        merge(organiser, live_event, original.id, original.id, now=during)
