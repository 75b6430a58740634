"""Through HTTP: organisers' and reviewers' pages, decisions, the city's pages."""

from sqlalchemy import select

from consult.challenges.services import event_challenges
from consult.contributions.models import CityChallenge, CityRepresentative, Reviewer
from consult.contributions.services import rate, representative_token
from consult.extensions import db
from tests.clock import field, wall


def base(event):
    return f"/manage/events/{event.slug}/contributions"


def test_proposals_list_access(
    client,
    login,
    cb_event,
    make_cb_event,
    make_proposal,
    make_reviewer,
    organiser,
    other_organiser,
):
    make_proposal(cb_event, title="Repair cafés")
    url = base(cb_event)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    other_event = make_cb_event(other_organiser, title="Elsewhere")
    make_proposal(other_event, title="Elsewhere talk")
    outsider = make_reviewer(other_event, "outsider@example.eu")
    login(other_organiser)
    assert client.get(url).status_code == 403
    login(outsider)
    assert client.get(url).status_code == 403
    assert "Elsewhere talk" in client.get(base(other_event)).get_data(as_text=True)
    login(make_reviewer(cb_event))
    html = client.get(url).get_data(as_text=True)
    assert "Repair cafés" in html and "Elsewhere talk" not in html
    assert client.get(f"{url}/call").status_code == 403  # organisers only
    login(organiser)
    html = client.get(url).get_data(as_text=True)
    assert "Repair cafés" in html and "Reviewers" in html


def test_proposal_of_another_event_is_not_found(
    client, login, cb_event, make_cb_event, make_proposal, organiser, other_organiser
):
    other_event = make_cb_event(other_organiser, title="Elsewhere")
    foreign = make_proposal(other_event)
    login(organiser)
    assert client.get(f"{base(cb_event)}/{foreign.id}").status_code == 404


def test_blind_rating_through_the_pages(
    client, login, cb_event, make_proposal, make_reviewer, now
):
    proposal = make_proposal(cb_event)
    ana = make_reviewer(cb_event, "ana@example.eu")
    ben = make_reviewer(cb_event, "ben@example.eu")
    rate(proposal, ana, 5, "Ana's secret comment", now=now)
    db.session.commit()
    url = f"{base(cb_event)}/{proposal.id}"
    login(ben)
    html = client.get(url).get_data(as_text=True)
    assert "secret comment" not in html and "once you have rated" in html
    bad = client.post(f"{url}/rate", data={"score": "9"})
    assert bad.status_code == 422
    assert (
        client.post(f"{url}/rate", data={"score": "3", "comment": "ok"}).status_code
        == 302
    )
    html = client.get(url).get_data(as_text=True)
    assert "secret comment" in html and "Average: 4.0 from 2 ratings" in html
    assert "Decision" not in html  # reviewers rate; organisers decide
    assert (
        client.post(f"{url}/decide", data={"decision": "rejected"}).status_code == 403
    )


def test_accept_with_an_overlap_warns_then_places(
    client, login, cb_event, make_proposal, organiser, outbox
):

    from consult.events.services import SessionData, SpeakerData, add_session
    from consult.timeutil import now_utc

    add_session(
        cb_event,
        organiser,
        SessionData(
            "Welcome",
            wall(21, 16),
            wall(21, 16, 20),
            speakers=[SpeakerData("Host")],
        ),
        now=now_utc(),
    )
    db.session.commit()
    proposal = make_proposal(cb_event)
    login(organiser)
    url = f"{base(cb_event)}/{proposal.id}/decide"
    data = {
        "decision": "accepted",
        "start": field(wall(21, 16, 10)),
        "message": "Welcome!",
    }
    first = client.post(url, data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 422
    assert "It overlaps “Welcome”" in html and "despite the warnings" in html
    db.session.refresh(proposal)
    assert proposal.status == "submitted" and len(cb_event.sessions) == 1
    second = client.post(url, data={**data, "confirm": "y"})
    assert second.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "accepted" and proposal.session is not None
    agenda = client.get(f"/events/{cb_event.slug}").get_data(as_text=True)
    assert proposal.title in agenda
    decision = next(m for m in outbox() if m.template == "contribution_decision")
    assert "Welcome!" in decision.body_text


def test_organiser_sets_up_the_call(client, login, reg_event, organiser):
    login(organiser)
    url = f"{base(reg_event)}/call"
    assert "Save the call" in client.get(url).get_data(as_text=True)
    bad = client.post(
        url, data={"closes_at": field(wall(7, 18)), "best_practice": "ten"}
    )
    assert bad.status_code == 422
    assert "whole minutes" in bad.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "closes_at": field(wall(7, 18)),
            "best_practice": "10, 15",
            "guidelines": "Short and concrete.",
        },
    )
    assert ok.status_code == 302
    html = client.get(f"/events/{reg_event.slug}/contribute").get_data(as_text=True)
    assert "Short and concrete." in html and "Send my proposal" in html


def test_organiser_adds_a_reviewer_by_email(client, login, cb_event, organiser, outbox):
    login(organiser)
    url = f"{base(cb_event)}/reviewers"
    response = client.post(url, data={"email": "expert@example.eu", "name": "Eva"})
    assert response.status_code == 302
    assert db.session.scalar(select(Reviewer.id)) is not None
    assert "expert@example.eu" in client.get(url).get_data(as_text=True)
    again = client.post(url, data={"email": "expert@example.eu"})
    assert again.status_code == 422 and "already reviews" in again.get_data(
        as_text=True
    )
    assert outbox()[0].recipient == "expert@example.eu"


def test_city_representative_flow(client, login, cb_event, organiser, other_organiser):
    login(organiser)
    city = f"{base(cb_event)}/city"
    invited = client.post(
        city,
        data={
            "name": "Lim Mei Ling",
            "email": "lim@example.my",
            "city": "Petaling Jaya",
        },
    )
    assert invited.status_code == 302
    rep = db.session.scalar(select(CityRepresentative))
    token = representative_token(rep)
    client.get("/logout")
    login_free = client.get(f"/events/{cb_event.slug}/city/{token}")
    assert login_free.status_code == 200
    assert client.get(f"/events/{cb_event.slug}/city/forged").status_code == 404
    sent = client.post(
        f"/events/{cb_event.slug}/city/{token}",
        data={
            "title": "Construction waste",
            "category": "construction",
            "description": "Rubble dumping.",
            "evidence_links": "https://example.my/a",
        },
    )
    assert sent.status_code == 302
    item = db.session.scalar(select(CityChallenge))
    titles = [c.title for c in event_challenges(cb_event)]
    assert "Construction waste" not in titles
    public = client.get(f"/events/{cb_event.slug}/challenges").get_data(as_text=True)
    assert "Construction waste" not in public
    login(other_organiser)
    assert client.post(f"{city}/{item.id}/approve").status_code == 403
    login(organiser)
    assert client.post(f"{city}/{item.id}/approve").status_code == 302
    db.session.refresh(item)
    assert item.status == "approved" and item.challenge_id is not None
    public = client.get(f"/events/{cb_event.slug}/challenges").get_data(as_text=True)
    assert "Construction waste" in public


def test_representative_edits_a_proposed_challenge(client, cb_event, organiser, now):
    from consult.contributions.services import (
        CityChallengeData,
        invite_representative,
        propose_challenge,
    )

    rep = invite_representative(
        cb_event, organiser, name="Lim", email="lim@example.my", now=now
    )
    item = propose_challenge(rep, CityChallengeData("Old title", "", "water"), now=now)
    db.session.commit()
    url = f"/events/{cb_event.slug}/city/{representative_token(rep)}/{item.id}"
    assert 'value="Old title"' in client.get(url).get_data(as_text=True)
    bad = client.post(
        url, data={"title": "New", "category": "water", "evidence_links": "not a link"}
    )
    assert bad.status_code == 422 and "is not a web address" in bad.get_data(
        as_text=True
    )
    ok = client.post(url, data={"title": "New title", "category": "water"})
    assert ok.status_code == 302
    db.session.refresh(item)
    assert item.title == "New title"
    other = invite_representative(
        cb_event, organiser, name="Other", email="other@example.my", now=now
    )
    db.session.commit()
    foreign = f"/events/{cb_event.slug}/city/{representative_token(other)}/{item.id}"
    assert client.get(foreign).status_code == 404


def test_reviewer_home_lists_only_their_events(
    client, login, cb_event, make_cb_event, other_organiser, make_reviewer
):
    make_cb_event(other_organiser, title="Not reviewed here")
    login(make_reviewer(cb_event))
    html = client.get("/manage/reviews").get_data(as_text=True)
    assert cb_event.title in html and "Not reviewed here" not in html


def test_organiser_moves_an_accepted_session(
    client, login, cb_event, make_proposal, organiser, now, outbox
):

    from consult.contributions.services import decide
    from consult.timeutil import localize

    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "accepted", now=now, start=wall(21, 16))
    db.session.commit()
    login(organiser)
    url = f"{base(cb_event)}/{proposal.id}/place"
    outside = client.post(url, data={"start": field(wall(21, 17, 50))})
    assert outside.status_code == 422
    assert "outside the event" in outside.get_data(as_text=True)
    moved = client.post(url, data={"start": field(wall(21, 17))})
    assert moved.status_code == 302
    db.session.refresh(proposal)
    start = localize(wall(21, 17), "Asia/Kuala_Lumpur")
    assert proposal.session.start_at == start
    scheduled = [m for m in outbox() if m.template == "contribution_scheduled"]
    assert len(scheduled) == 2 and "10:00 CET" in scheduled[-1].body_text
