"""A participant's live-room data: in their data download, gone on erasure
(tests/registration covers the rest of both)."""

from __future__ import annotations

import json

from sqlalchemy import select

from consult.extensions import db
from consult.live.models import LivePollAnswer, LiveQuestion, LiveQuestionVote
from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)
from consult.live.services.questions import ask, merge, moderate, upvote
from consult.registration.services.tokens import manage_token
from tests.effects import committed


def _manage(registration) -> str:
    return (
        f"/events/{registration.event.slug}/registration/{manage_token(registration)}"
    )


def _room_with(event, person, other, organiser, now):
    """The person asked two questions (one anonymous, one the other's was
    merged into), voted for the other's and answered a poll."""
    theirs = ask(other, "Who pays for collection?", anonymous=False, now=now)
    mine = ask(person, "Is my street in the pilot?", anonymous=True, now=now)
    duplicate = ask(other, "Which streets are in the pilot?", anonymous=False, now=now)
    for question in (theirs, mine):
        moderate(organiser, event, question.id, "approve", now=now)
    merge(organiser, event, duplicate.id, mine.id, now=now)
    upvote(person, theirs.id, now=now)
    upvote(other, mine.id, now=now)
    poll = create_poll(
        organiser, event, PollData("single", "Start where?", ["Food", "Plastic"]),
        now=now,
    )  # fmt: skip
    change_poll(organiser, event, poll.id, "launch", now=now)
    plastic = poll.options[1].id
    answer_poll(person, poll.id, AnswerData(option_ids=[plastic]), now=now)
    db.session.commit()
    return theirs, mine, duplicate


def test_the_data_download_has_the_live_room(client, open_now, people, organiser, now):
    person, other = people(open_now, 2)
    _room_with(open_now, person, other, organiser, now)
    exported = json.loads(client.get(_manage(person) + "/data.json").data)
    live = exported["live"]
    assert [q["text"] for q in live["questions"]] == ["Is my street in the pilot?"]
    assert live["questions"][0]["anonymous"] is True
    assert live["upvoted"] == ["Who pays for collection?"]
    assert [(a["poll"], a["options"]) for a in live["poll_answers"]] == [
        ("Start where?", ["Plastic"])
    ]


def test_erasure_removes_what_the_person_said_and_chose_in_the_room(
    client, open_now, people, organiser, now
):
    person, other = people(open_now, 2)
    theirs, mine, duplicate = _room_with(open_now, person, other, organiser, now)
    page = client.post(_manage(person) + "/erase", data={"confirm": "y"})
    assert page.status_code == 200
    seen = committed()
    texts = seen.scalars(select(LiveQuestion.text)).all()
    assert "Is my street in the pilot?" not in texts
    assert seen.scalar(
        select(LiveQuestionVote).where(LiveQuestionVote.registration_id == person.id)
    ) is None  # fmt: skip
    assert seen.scalars(select(LivePollAnswer)).all() == []
    # The other's vote went with the question; their own question stays, and
    # the duplicate merged into the erased question stays out of the room.
    assert seen.scalars(select(LiveQuestionVote)).all() == []
    kept = seen.get(LiveQuestion, duplicate.id)
    assert kept.state == "hidden" and kept.merged_into_id is None
    assert seen.get(LiveQuestion, theirs.id).state == "approved"


def test_the_manage_page_says_the_live_room_data_goes_on_erasure(
    client, open_now, people
):
    (person,) = people(open_now, 1)
    page = client.get(_manage(person)).get_data(as_text=True)
    assert "poll answers in the live room are deleted too" in page
