"""Results by stakeholder group, with small groups combined as in surveys."""

from __future__ import annotations

from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)
from consult.live.services.questions import ask, moderate, questions_of, upvote
from consult.live.services.results import poll_results, question_groups


def _poll(event, organiser, now):
    poll = create_poll(
        organiser, event, PollData("single", "First step?", ["Repair", "Reuse"]),
        now=now,
    )  # fmt: skip
    change_poll(organiser, event, poll.id, "launch", now=now)
    return poll


def test_groups_under_the_threshold_are_combined(live_event, people, organiser, during):
    poll = _poll(live_event, organiser, during)
    repair, reuse = (o.id for o in poll.options)
    for person in people(live_event, 6, "government"):
        answer_poll(person, poll.id, AnswerData(option_ids=[repair]), now=during)
    small = (
        people(live_event, 5, "private")
        + people(live_event, 2, "research")
        + people(live_event, 1, "civil_society")
    )
    for person in small:
        answer_poll(person, poll.id, AnswerData(option_ids=[reuse]), now=during)
    results = poll_results(poll)
    assert results["overall"]["n"] == 14
    assert [r["count"] for r in results["overall"]["rows"]] == [6, 8]
    # Research (2) and civil society (1) are under 5 and together still are
    # (3): the smallest shown group (private, 5) joins them, or the total
    # minus the shown groups would give the two small ones back.
    shown = {g["label"]: g["n"] for g in results["groups"] if g["n"]}
    assert shown == {"Government & public agencies": 6, "Other groups": 8}


def test_a_big_enough_group_shows_on_its_own(live_event, people, organiser, during):
    poll = _poll(live_event, organiser, during)
    repair, reuse = (o.id for o in poll.options)
    for person in people(live_event, 5, "government"):
        answer_poll(person, poll.id, AnswerData(option_ids=[repair]), now=during)
    for person in people(live_event, 5, "private"):
        answer_poll(person, poll.id, AnswerData(option_ids=[reuse]), now=during)
    for person in people(live_event, 5, "research"):
        answer_poll(person, poll.id, AnswerData(option_ids=[reuse]), now=during)
    groups = {g["label"]: g for g in poll_results(poll)["groups"]}
    assert [r["count"] for r in groups["Government & public agencies"]["rows"]] == [
        5,
        0,
    ]
    assert [r["count"] for r in groups["Private sector"]["rows"]] == [0, 5]
    assert "Other groups" not in groups


def test_too_few_answers_show_no_split(live_event, people, organiser, during):
    poll = _poll(live_event, organiser, during)
    for person in people(live_event, 3):
        answer_poll(
            person, poll.id, AnswerData(option_ids=[poll.options[0].id]), now=during
        )
    results = poll_results(poll)
    assert results["groups"] is None and results["too_few"]
    assert results["overall"]["n"] == 3


def test_questions_show_which_groups_asked_and_voted(
    live_event, people, organiser, during
):
    (asker,) = people(live_event, 1, "civil_society")
    question = ask(asker, "Who pays for collection?", anonymous=True, now=during)
    moderate(organiser, live_event, question.id, "approve", now=during)
    for person in people(live_event, 5, "government") + people(
        live_event, 1, "private"
    ):
        upvote(person, question.id, now=during)
    groups = question_groups(live_event.id, questions_of(live_event.id))[question.id]
    assert groups["votes"] == 6
    labels = dict(groups["by_group"])
    assert "Private sector" not in labels
    assert sum(labels.values()) == 6
