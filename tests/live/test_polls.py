"""Polls: prepared, launched, answered once while open, closed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.live.models import LivePollAnswer
from consult.live.services.polls import (
    AnswerData,
    PollData,
    answer_poll,
    change_poll,
    create_poll,
)


def _answers(poll_id):
    return db.session.scalar(
        select(func.count()).where(LivePollAnswer.poll_id == poll_id)
    )


def test_answers_are_taken_only_while_the_poll_is_open(
    live_event, people, organiser, during
):
    (person,) = people(live_event, 1)
    poll = create_poll(
        organiser, live_event, PollData("single", "Best first step?", ["A", "B"]),
        now=during,
    )  # fmt: skip
    choice = AnswerData(option_ids=[poll.options[0].id])
    with pytest.raises(Conflict):
        answer_poll(person, poll.id, choice, now=during)
    change_poll(organiser, live_event, poll.id, "launch", now=during)
    answer_poll(person, poll.id, choice, now=during)
    with pytest.raises(Conflict):
        answer_poll(person, poll.id, choice, now=during)
    change_poll(organiser, live_event, poll.id, "close", now=during)
    (late,) = people(live_event, 1)
    with pytest.raises(Conflict):
        answer_poll(late, poll.id, choice, now=during)
    assert _answers(poll.id) == 1


def test_each_kind_checks_its_answer(live_event, people, organiser, during):
    polls = {
        kind: create_poll(
            organiser,
            live_event,
            PollData(kind, f"{kind}?", ["Yes", "No", "Maybe"]),
            now=during,
        )  # fmt: skip
        for kind in ("single", "multiple", "rating", "words", "ranking")
    }
    for poll in polls.values():
        change_poll(organiser, live_event, poll.id, "launch", now=during)
    (person,) = people(live_event, 1)
    single, multiple = polls["single"], polls["multiple"]
    both = [o.id for o in single.options[:2]]
    bad = {
        "single": AnswerData(option_ids=both),
        "multiple": AnswerData(option_ids=[]),
        "rating": AnswerData(rating=6),
        "words": AnswerData(word="w" * 41),
        "ranking": AnswerData(ranks={o.id: 1 for o in polls["ranking"].options}),
    }
    for kind, data in bad.items():
        with pytest.raises(ValidationFailed):
            answer_poll(person, polls[kind].id, data, now=during)
    ranking = polls["ranking"]
    assert [o.label for o in ranking.options] == [
        "Food and organic waste", "Plastic pollution", "Household e-waste"
    ]  # fmt: skip
    order = {o.id: 3 - i for i, o in enumerate(ranking.options)}
    answer_poll(person, ranking.id, AnswerData(ranks=order), now=during)
    two = [o.id for o in multiple.options[:2]]
    answer_poll(person, multiple.id, AnswerData(option_ids=two), now=during)
    answer_poll(
        person, polls["words"].id, AnswerData(word=" Repair  cafés "), now=during
    )
    stored = db.session.scalars(
        select(LivePollAnswer).where(LivePollAnswer.registration_id == person.id)
    ).all()
    by_poll = {a.poll_id: a for a in stored}
    assert by_poll[ranking.id].option_ids == [o.id for o in ranking.options][::-1]
    assert by_poll[polls["words"].id].word == "Repair cafés"


def test_preparing_a_poll_checks_its_options(live_event, organiser, during):
    with pytest.raises(ValidationFailed) as refused:
        create_poll(
            organiser, live_event, PollData("single", "One?", ["Only"]), now=during
        )
    assert refused.value.field == "options"
    with pytest.raises(ValidationFailed):
        create_poll(organiser, live_event, PollData("nonsense", "Q?"), now=during)


def test_only_moderators_run_polls(
    live_event, organiser, other_organiser, make_user, during
):
    poll = create_poll(
        organiser, live_event, PollData("rating", "How useful?"), now=during
    )
    with pytest.raises(PermissionDenied):
        change_poll(other_organiser, live_event, poll.id, "launch", now=during)
    with pytest.raises(PermissionDenied):
        create_poll(other_organiser, live_event, PollData("rating", "Q?"), now=during)
    assert poll.state == "draft"


def test_a_cohost_moderates_but_cannot_change_settings(
    live_event, organiser, make_user, during
):
    from consult.live.services.moderators import (
        SettingsData,
        add_cohost,
        save_settings,
    )

    helper = make_user("helper@example.org", role="expert")
    add_cohost(organiser, live_event, "Helper@Example.org", now=during)
    poll = create_poll(helper, live_event, PollData("rating", "Useful?"), now=during)
    change_poll(helper, live_event, poll.id, "launch", now=during)
    with pytest.raises(PermissionDenied):
        save_settings(helper, live_event, SettingsData(10, 10, True, True), now=during)
    with pytest.raises(Conflict):
        add_cohost(organiser, live_event, "helper@example.org", now=during)
