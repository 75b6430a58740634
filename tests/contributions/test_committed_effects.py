"""Contribution pages commit what they change (proposals, ratings, the city, mail).

Reads go through `committed()` (tests/effects.py): the test client shares the
test's session, so only a rollback first shows what a route really committed.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.contributions.models import (
    CityChallenge,
    CityRepresentative,
    ContributionCall,
    Proposal,
    Rating,
    Reviewer,
)
from consult.contributions.services import (
    CityChallengeData,
    Upload,
    invite_representative,
    proposal_token,
    propose_challenge,
    representative_token,
)
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from tests.clock import field, wall
from tests.contributions.test_pages import form_data
from tests.effects import committed, committed_row


def manage(event, suffix=""):
    return f"/manage/events/{event.slug}/contributions{suffix}"


def _mails(template):
    query = select(OutboundEmail).where(OutboundEmail.template == template)
    return committed().scalars(query).all()


def test_proposers_pages_are_committed(client, cb_event, make_proposal, pdf_bytes):
    sent = client.post(f"/events/{cb_event.slug}/contribute", data=form_data())
    assert sent.status_code == 302
    mine = committed().scalar(
        select(Proposal).where(Proposal.proposer_email == "jan@example.nl")
    )
    assert mine.title == "Circular procurement in construction"
    base = f"/events/{cb_event.slug}/proposals/{proposal_token(mine)}"

    edited = client.post(f"{base}/edit", data=form_data(title="Material banks"))
    assert edited.status_code == 302
    assert committed_row(Proposal, mine.id).title == "Material banks"

    language = client.post(f"{base}/language", data={"lang-language": "ko"})
    assert language.status_code == 302
    assert committed_row(Proposal, mine.id).language == "ko"

    assert client.post(f"{base}/withdraw", data={"confirm": "y"}).status_code == 302
    assert committed_row(Proposal, mine.id).status == "withdrawn"

    slides = make_proposal(cb_event, slides=Upload("talk.pdf", pdf_bytes))
    other = f"/events/{cb_event.slug}/proposals/{proposal_token(slides)}"
    assert client.post(f"{other}/slides/remove").status_code == 302
    assert committed_row(Proposal, slides.id).slides_type == ""

    erased = client.post(f"{other}/erase", data={"erase-confirm": "y"})
    assert erased.status_code == 200
    assert committed_row(Proposal, slides.id).erased


def test_lost_link_email_is_committed(client, cb_event, make_proposal):
    make_proposal(cb_event)
    response = client.post(
        f"/events/{cb_event.slug}/contribute/link", data={"email": "marta@example.pl"}
    )
    assert response.status_code == 302
    assert [m.recipient for m in _mails("contribution_link_resent")] == [
        "marta@example.pl"
    ]


def test_call_reviewers_ratings_and_decisions_are_committed(
    client, login, organiser, cb_event, make_proposal, make_reviewer, now
):
    login(organiser)
    call = client.post(
        manage(cb_event, "/call"),
        data={
            "closes_at": field(wall(7, 18)),
            "best_practice": "10, 15",
            "guidelines": "Short and concrete.",
        },
    )
    assert call.status_code == 302
    stored = committed().scalar(
        select(ContributionCall).where(ContributionCall.event_id == cb_event.id)
    )
    assert stored.guidelines_md == "Short and concrete."

    added = client.post(
        manage(cb_event, "/reviewers"), data={"email": "eva@example.eu", "name": "Eva"}
    )
    assert added.status_code == 302
    eva = committed().scalar(select(Reviewer))
    assert eva is not None
    removed = client.post(manage(cb_event, f"/reviewers/{eva.id}/remove"))
    assert removed.status_code == 302
    assert committed_row(Reviewer, eva.id) is None

    proposal = make_proposal(cb_event)
    rated = client.post(manage(cb_event, f"/{proposal.id}/rate"), data={"score": "4"})
    assert rated.status_code == 302
    rating = committed().scalar(select(Rating).where(Rating.user_id == organiser.id))
    assert rating.score == 4

    decided = client.post(
        manage(cb_event, f"/{proposal.id}/decide"),
        data={"decision": "accepted", "start": field(wall(21, 16)), "confirm": "y"},
    )
    assert decided.status_code == 302
    accepted = committed_row(Proposal, proposal.id)
    assert accepted.status == "accepted" and accepted.session is not None

    placed = client.post(
        manage(cb_event, f"/{proposal.id}/place"), data={"start": field(wall(21, 17))}
    )
    assert placed.status_code == 302
    session = committed_row(Proposal, proposal.id).session
    assert session.start_at.hour == 9  # 17:00 in Kuala Lumpur


def test_city_representatives_and_their_challenges_are_committed(
    client, login, organiser, cb_event, now
):
    login(organiser)
    invited = client.post(
        manage(cb_event, "/city"),
        data={"name": "Lim Mei Ling", "email": "lim@example.my", "city": "PJ"},
    )
    assert invited.status_code == 302
    rep = committed().scalar(select(CityRepresentative))
    assert rep.email == "lim@example.my"

    city = f"/events/{cb_event.slug}/city/{representative_token(rep)}"
    language = client.post(f"{city}/language", data={"lang-language": "vi"})
    assert language.status_code == 302
    assert committed_row(CityRepresentative, rep.id).language == "vi"

    sent = client.post(
        city,
        data={"title": "Construction waste", "category": "construction"},
    )
    assert sent.status_code == 302
    item = committed().scalar(select(CityChallenge))
    assert item.title == "Construction waste"

    edited = client.post(
        f"{city}/{item.id}",
        data={"title": "Rubble dumping", "category": "construction"},
    )
    assert edited.status_code == 302
    assert committed_row(CityChallenge, item.id).title == "Rubble dumping"

    assert client.post(manage(cb_event, f"/city/{item.id}/reject")).status_code == 302
    assert committed_row(CityChallenge, item.id).status == "rejected"

    revoked = client.post(manage(cb_event, f"/city/representatives/{rep.id}/revoke"))
    assert revoked.status_code == 302
    assert committed_row(CityRepresentative, rep.id).revoked_at is not None


def test_approving_a_city_challenge_is_committed(
    client, login, organiser, cb_event, now
):
    rep = invite_representative(
        cb_event, organiser, name="Lim", email="lim@example.my", now=now
    )
    item = propose_challenge(rep, CityChallengeData("E-waste", "", "e_waste"), now=now)
    db.session.commit()
    login(organiser)
    response = client.post(manage(cb_event, f"/city/{item.id}/approve"))
    assert response.status_code == 302
    approved = committed_row(CityChallenge, item.id)
    assert approved.status == "approved" and approved.challenge_id is not None
