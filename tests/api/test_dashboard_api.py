"""/api/v1/events/<slug>/dashboard: the organiser's dashboard's figures,
the same numbers as the dashboard's service and page."""

from __future__ import annotations

import pytest

from consult.dashboard.services.dashboard import dashboard_data
from consult.extensions import db
from consult.live.models import (
    LivePoll,
    LivePollAnswer,
    LivePollOption,
    LiveQuestion,
    LiveQuestionVote,
)
from consult.live.services.summary import live_summary
from consult.shares import percent
from tests.api.conftest import bearer, make_token
from tests.dashboard.conftest import dash_event  # noqa: F401 (fixture)


def url(event) -> str:
    return f"/api/v1/events/{event.slug}/dashboard"


def _number(value):
    return None if value is None else float(value)


@pytest.fixture
def live_session(dash_event, now):  # noqa: F811
    """A live question with votes and a closed poll answered by everyone."""
    people = dash_event.test_people
    question = LiveQuestion(
        event_id=dash_event.id,
        registration_id=people[0].id,
        text="Who pays for collection?",
        state="approved",
        created_at=now,
    )
    poll = LivePoll(
        event_id=dash_event.id, kind="single", prompt="First?", state="closed"
    )
    poll.options = [
        LivePollOption(label="Food", position=0),
        LivePollOption(label="Plastic", position=1),
    ]
    db.session.add_all([question, poll])
    db.session.flush()
    for i, person in enumerate(people):
        db.session.add(
            LivePollAnswer(
                poll_id=poll.id,
                registration_id=person.id,
                option_ids=[poll.options[i % 2].id],
            )
        )
        if i < 7:
            db.session.add(
                LiveQuestionVote(question_id=question.id, registration_id=person.id)
            )
    db.session.commit()
    return dash_event


def test_the_figures_are_the_dashboards(api, live_session, now):
    event = live_session
    response = api("GET", url(event))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    data = dashboard_data(event, now=now)
    balance = data.balance

    registrations = body["registrations"]
    assert (
        registrations["total"],
        registrations["confirmed"],
        registrations["waitlisted"],
        registrations["pending"],
    ) == (data.registrations, balance.confirmed, balance.waitlisted, balance.pending)
    assert (registrations["confirmed"], registrations["waitlisted"]) == (12, 1)
    assert registrations["pending"] == 1 and registrations["total"] == 14
    assert registrations["capacity"] == balance.capacity
    assert registrations["seats_left"] == balance.seats_left
    shown = balance.shown_shares()
    assert [
        (
            t["stakeholder_type"]["key"],
            t["confirmed"],
            t["waitlisted"],
            t["pending"],
            t["share"],
        )
        for t in registrations["by_type"]
    ] == [
        (
            row.stakeholder_type.key,
            row.confirmed,
            row.waitlisted,
            row.pending,
            _number(shown.get(row.stakeholder_type.id)),
        )
        for row in balance.types
    ]
    small = {
        t["stakeholder_type"]["key"]: t["small_group"] for t in registrations["by_type"]
    }
    assert small == {
        "government": False, "private": True, "research": True,
        "civil_society": True, "informal": False,
    }  # fmt: skip
    assert [(d["day"], d["count"]) for d in registrations["by_day"]] == [
        (day.isoformat(), n) for day, n in data.by_day
    ]
    assert [(c["code"], c["count"]) for c in registrations["countries"]] == [
        ("MY", 8),
        ("NL", 4),
    ]

    attendance = body["attendance"]
    assert attendance["known"] == data.attendance_known
    assert attendance["attended"] == data.attended
    assert attendance["percent"] == _number(data.attendance_percent)
    for row in attendance["by_type"]:
        counts = data.attendance.get(row["stakeholder_type"]["id"])
        confirmed, attended = (counts.confirmed, counts.attended) if counts else (0, 0)
        assert (row["confirmed"], row["attended"]) == (confirmed, attended)
        assert row["percent"] == _number(percent(attended, confirmed))
    assert [row["confirmed"] for row in attendance["by_type"]] == [5, 4, 2, 1, 0]

    inputs = body["inputs"]
    assert inputs["total"] == data.inputs_total == 6
    assert inputs["by_state"] == data.input_states == {"published": 6}
    assert sorted(
        (c["challenge_id"], c["kind"], c["stakeholder_type_id"], c["state"], c["count"])
        for c in inputs["counts"]
    ) == sorted(
        (r.challenge_id, r.kind, r.type_id, r.state, r.count) for r in data.input_counts
    )
    assert [c["title"] for c in inputs["challenges"]] == [
        c.title for c in data.priorities.challenges
    ]
    assert body["priority_ballots"] == data.priorities.ballots == 12

    (survey,) = body["surveys"]
    (summary,) = data.surveys
    assert survey["id"] == summary.survey.id
    assert survey["responses"] == summary.results.responses == 8
    rate = summary.results.overall_rate
    assert survey["response_rate"] == {
        "audience": rate.audience,
        "responded": rate.responded,
        "percent": _number(rate.percent),
    }

    live = body["live"]
    expected = live_summary(event)
    assert live["questions"] == len(expected.questions) == 1
    (question,) = live["top_questions"]
    assert (question["text"], question["votes"]) == ("Who pays for collection?", 7)
    assert question["by_group"] == [
        {"label": label, "votes": n} for label, n in expected.top_questions[0].by_group
    ]
    (poll,) = live["closed_polls"]
    assert poll["prompt"] == "First?" and poll["overall"]["n"] == 12
    assert [r["count"] for r in poll["overall"]["rows"]] == [6, 6]
    assert poll["groups"] == expected.polls[0]["results"]["groups"]
    assert body["min_group_size"] == data.min_group == 5
    assert body["event_timezone"] == "Asia/Kuala_Lumpur"
    # No one's name or address: figures only (the live question's text is
    # the dashboard's too).
    text = response.get_data(as_text=True)
    assert "@" not in text
    assert not any(p.full_name in text for p in event.test_people)


def test_no_live_session_is_null(api, reg_event):
    body = api("GET", url(reg_event)).get_json()
    assert body["live"] is None
    assert body["registrations"]["total"] == 0 and body["surveys"] == []
    assert body["attendance"]["percent"] is None


def test_the_dashboard_of_an_event_you_do_not_manage_is_404(
    api, client, make_reg_event, other_organiser, admin, reg_event, now
):
    theirs = make_reg_event(owner=other_organiser, title="Not yours")
    draft = make_reg_event(owner=other_organiser, publish=False, title="Draft")
    for event in (theirs, draft):
        response = api("GET", url(event))
        assert response.status_code == 404
        assert response.get_json()["detail"] == "Not found, or not yours to see."
    assert api("GET", "/api/v1/events/no-such-event/dashboard").status_code == 404
    secret = make_token(admin, now, scopes=["results:read"])
    assert client.get(url(theirs), headers=bearer(secret)).status_code == 200


def test_the_dashboard_etag_changes_with_the_figures(api, reg_event, make_registration):
    etag = api("GET", url(reg_event)).headers["ETag"]
    assert (
        api("GET", url(reg_event), headers={"If-None-Match": etag}).status_code == 304
    )
    make_registration(reg_event)
    fresh = api("GET", url(reg_event), headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.get_json()["registrations"]["confirmed"] == 1
