"""The live pages: entering from the manage link, asking, voting, answering,
moderating, and the state document with its ETag."""

from __future__ import annotations

import json

from sqlalchemy import select

from consult.extensions import db
from consult.live.models import LivePoll, LivePollAnswer, LiveQuestion, LiveQuestionVote
from consult.registration.services.tokens import manage_token
from tests.effects import committed


def _room(event):
    return f"/events/{event.slug}/live"


def test_the_manage_link_opens_the_room_and_a_stranger_gets_nothing(
    app, client, open_now, people, enter
):
    (person,) = people(open_now, 1)
    assert client.get(_room(open_now)).status_code == 403
    assert client.get(f"{_room(open_now)}/state.json").status_code == 403
    enter(client, person)
    page = client.get(_room(open_now))
    assert page.status_code == 200
    assert "Ask a question" in page.get_data(as_text=True)
    assert "no-store" in page.headers["Cache-Control"]


def test_an_unconfirmed_registrant_cannot_enter(client, open_now, people):
    (waiting,) = people(open_now, 1, status="waitlisted")
    token = manage_token(waiting)
    response = client.get(f"/events/{open_now.slug}/registration/{token}/live")
    assert response.status_code == 403
    assert client.get(_room(open_now)).status_code == 403


def test_before_opening_the_page_says_when_in_the_participants_zone(
    client, live_event, people, enter
):
    (person,) = people(live_event, 1, timezone="Europe/Brussels")
    enter(client, person)
    html = client.get(_room(live_event)).get_data(as_text=True)
    assert "The live room opens on" in html
    assert "Ask a question" not in html
    response = client.post(f"{_room(live_event)}/questions", data={"text": "Early?"})
    assert response.status_code in (200, 409, 422)
    assert committed().scalar(select(LiveQuestion)) is None


def test_asking_and_voting_through_the_pages(
    app, client, open_now, people, enter, organiser, login
):
    asker, voter = people(open_now, 2)
    enter(client, asker)
    response = client.post(
        f"{_room(open_now)}/questions", data={"text": "Who collects e-waste?"}
    )
    assert response.status_code == 302
    question = committed().scalar(select(LiveQuestion))
    assert (question.text, question.state) == ("Who collects e-waste?", "pending")

    moderator = app.test_client()
    with moderator.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    response = moderator.post(
        f"/manage/events/{open_now.slug}/live/questions/{question.id}",
        data={"action": "pin"},
    )
    assert response.status_code == 302
    assert committed().get(LiveQuestion, question.id).pinned

    other = app.test_client()
    enter(other, voter)
    vote_url = f"{_room(open_now)}/questions/{question.id}/vote"
    assert other.post(vote_url).status_code == 302
    assert other.post(vote_url).status_code == 302
    votes = committed().scalars(select(LiveQuestionVote)).all()
    assert [v.registration_id for v in votes] == [voter.id]
    html = other.get(_room(open_now)).get_data(as_text=True)
    assert "Now discussing" in html and "You voted for this question." in html


def test_a_long_question_is_refused_next_to_the_field(client, open_now, people, enter):
    (person,) = people(open_now, 1)
    enter(client, person)
    response = client.post(f"{_room(open_now)}/questions", data={"text": "x" * 281})
    assert response.status_code == 422
    assert committed().scalar(select(LiveQuestion)) is None


def test_state_json_answers_304_while_nothing_changed(
    app, client, open_now, people, enter, organiser
):
    asker, _other = people(open_now, 2)
    enter(client, asker)
    url = f"{_room(open_now)}/state.json"
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    document = first.get_json()
    assert document["phase"] == "open" and document["room"]["questions"] == []
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    client.post(f"{_room(open_now)}/questions", data={"text": "Changed?"})
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # The polled document is everyone's: a pending question is not in it;
    # its asker sees it awaiting a moderator on the page the post reloads.
    assert "me" not in changed.get_json() and b"Changed?" not in changed.data
    page = client.get(_room(open_now)).get_data(as_text=True)
    waiting = page.split('id="live-mine"')[1].split("</section>")[0]
    assert "Changed?" in waiting


def test_anonymous_questions_never_show_the_asker_to_participants(
    app, client, open_now, people, enter, organiser, login
):
    asker, reader = people(open_now, 2)
    asker.full_name = "Siti Secret"
    db.session.commit()
    enter(client, asker)
    client.post(
        f"{_room(open_now)}/questions",
        data={"text": "Is the landfill closing?", "anonymous": "y"},
    )
    question = committed().scalar(select(LiveQuestion))
    assert question.anonymous
    moderator = app.test_client()
    with moderator.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    moderator.post(
        f"/manage/events/{open_now.slug}/live/questions/{question.id}",
        data={"action": "pin"},
    )
    other = app.test_client()
    enter(other, reader)
    participant_views = [
        other.get(_room(open_now)),
        other.get(f"{_room(open_now)}?sort=time"),
        other.get(f"{_room(open_now)}/state.json"),
    ]
    for response in participant_views:
        text = response.get_data(as_text=True)
        assert "Is the landfill closing?" in text
        assert "Siti Secret" not in text
    room = participant_views[2].get_json()["room"]
    (shown,) = room["questions"]
    assert shown["author"] is None and "registration_id" not in json.dumps(room)
    # Moderators always see who asked.
    for path in ("", "/state.json"):
        page = moderator.get(f"/manage/events/{open_now.slug}/live{path}")
        assert "Siti Secret" in page.get_data(as_text=True), path


def test_a_poll_through_the_pages(app, client, open_now, people, enter, organiser):
    (person,) = people(open_now, 1)
    moderator = app.test_client()
    with moderator.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    base = f"/manage/events/{open_now.slug}/live"
    created = moderator.post(
        f"{base}/polls",
        data={"kind": "single", "prompt": "Start where?", "options": "Food\nPlastic"},
    )
    assert created.status_code == 302
    poll = committed().scalar(select(LivePoll))
    assert poll.state == "draft" and [o.label for o in poll.options] == [
        "Food",
        "Plastic",
    ]
    enter(client, person)
    answer_url = f"{_room(open_now)}/polls/{poll.id}/answer"
    option = str(poll.options[1].id)
    client.post(answer_url, data={"option": option})
    assert committed().scalar(select(LivePollAnswer)) is None
    moderator.post(f"{base}/polls/{poll.id}", data={"action": "launch"})
    assert "Start where?" in client.get(_room(open_now)).get_data(as_text=True)
    assert client.post(answer_url, data={"option": option}).status_code == 302
    moderator.post(f"{base}/polls/{poll.id}", data={"action": "close"})
    answer = committed().scalar(select(LivePollAnswer))
    assert answer.option_ids == [poll.options[1].id]
    html = client.get(_room(open_now)).get_data(as_text=True)
    assert "This poll is closed." in html and "1 answer" in html


def test_moderation_pages_are_for_moderators_only(
    app, client, open_now, other_organiser, make_user, organiser, login
):
    base = f"/manage/events/{open_now.slug}/live"
    login(other_organiser)
    for path in ("", "/presenter", "/results", "/state.json", "/settings"):
        assert client.get(f"{base}{path}").status_code == 403, path
    helper = make_user("cohost@example.org", role="expert")
    login(organiser)
    added = client.post(f"{base}/cohosts", data={"email": "cohost@example.org"})
    assert added.status_code == 302
    login(helper)
    for path in ("", "/presenter", "/results", "/state.json"):
        assert client.get(f"{base}{path}").status_code == 200, path
    assert client.get(f"{base}/settings").status_code == 403


def test_settings_cohosts_and_merge_are_committed(
    client, open_now, people, organiser, login, make_user
):
    from consult.live.models import LiveCohost, LiveSettings
    from consult.live.services.questions import ask, moderate

    base = f"/manage/events/{open_now.slug}/live"
    login(organiser)
    saved = client.post(
        f"{base}/settings",
        data={"opens_minutes_before": "45", "closes_minutes_after": "10",
              "questions_enabled": "y"},
    )  # fmt: skip
    assert saved.status_code == 302
    settings = committed().scalar(select(LiveSettings))
    assert (settings.opens_minutes_before, settings.closes_minutes_after) == (45, 10)
    assert settings.questions_enabled and not settings.anonymous_allowed
    refused = client.post(f"{base}/settings", data={"opens_minutes_before": "9999"})
    assert refused.status_code == 422
    assert committed().scalar(select(LiveSettings)).opens_minutes_before == 45

    helper = make_user("cohost@example.org", role="expert")
    client.post(f"{base}/cohosts", data={"email": "cohost@example.org"})
    assert [c.user_id for c in committed().scalars(select(LiveCohost))] == [helper.id]
    unknown = client.post(f"{base}/cohosts", data={"email": "nobody@example.org"})
    assert unknown.status_code == 422
    client.post(f"{base}/cohosts/{helper.id}/remove")
    assert committed().scalars(select(LiveCohost)).all() == []

    a, b = people(open_now, 2)
    first = ask(a, "Deposit return?", anonymous=False, now=open_now.start_at)
    second = ask(b, "Deposits?", anonymous=False, now=open_now.start_at)
    moderate(organiser, open_now, first.id, "approve", now=open_now.start_at)
    db.session.commit()
    merged = client.post(
        f"{base}/questions/{second.id}/merge", data={"into": str(first.id)}
    )
    assert merged.status_code == 302
    assert committed().get(LiveQuestion, second.id).merged_into_id == first.id


def test_question_text_is_shown_as_text_on_the_participants_page(
    client, open_now, people, enter, organiser
):
    from consult.live.services.questions import ask, moderate

    asker, reader = people(open_now, 2)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    question = ask(asker, payload, anonymous=False, now=open_now.start_at)
    moderate(organiser, open_now, question.id, "pin", now=open_now.start_at)
    db.session.commit()
    enter(client, reader)
    html = client.get(_room(open_now)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    state = client.get(f"{_room(open_now)}/state.json").get_json()
    assert state["room"]["questions"][0]["text"] == payload  # drawn as textContent


def test_the_rooms_script_votes_with_json_and_the_vote_is_stored(
    app, client, open_now, people, enter, organiser, now
):
    from consult.live.services.questions import ask, moderate

    asker, voter = people(open_now, 2)
    shown = ask(asker, "Shown?", anonymous=False, now=now)
    moderate(organiser, open_now, shown.id, "approve", now=now)
    pending = ask(asker, "Pending?", anonymous=False, now=now)
    db.session.commit()
    enter(client, voter)
    json_only = {"Accept": "application/json"}
    url = f"{_room(open_now)}/questions/{shown.id}/vote"

    first = client.post(url, headers=json_only)
    assert first.status_code == 200
    assert first.get_json() == {"question": shown.id, "counted": True}
    again = client.post(url, headers=json_only)
    assert again.get_json() == {"question": shown.id, "counted": False}
    refused = client.post(
        f"{_room(open_now)}/questions/{pending.id}/vote", headers=json_only
    )
    assert refused.status_code == 409 and refused.get_json()["error"]
    votes = committed().scalars(select(LiveQuestionVote)).all()
    assert [(v.question_id, v.registration_id) for v in votes] == [(shown.id, voter.id)]


def test_the_state_document_draws_each_poll_for_both_kinds_of_participant(
    client, open_now, people, enter, organiser, now
):
    from consult.live.services.polls import PollData, change_poll, create_poll

    (reader,) = people(open_now, 1)
    poll = create_poll(
        organiser, open_now, PollData("single", "Start where?", ["Food", "Plastic"]),
        now=now,
    )  # fmt: skip
    change_poll(organiser, open_now, poll.id, "launch", now=now)
    db.session.commit()
    enter(client, reader)
    document = client.get(f"{_room(open_now)}/state.json").get_json()
    (drawn,) = document["room"]["polls"]
    unanswered, answered = drawn["html"]["open"], drawn["html"]["answered"]
    assert f"/polls/{poll.id}/answer" in unanswered and "Plastic" in unanswered
    # No one's form token is in a document everyone reads: the page fills it.
    assert 'name="csrf_token" value=""' in unanswered
    assert "Your answer is counted." in answered and "<form" not in answered
