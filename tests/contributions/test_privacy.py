"""A proposer's own data: the JSON export and the erasure, as services and pages."""

import json

import pytest
from sqlalchemy import func, select

from consult.challenges.services import event_challenges
from consult.contributions.models import Proposal
from consult.contributions.services import (
    ERASED_PROPOSER,
    ERASED_SPEAKER,
    SpeakerInput,
    Upload,
    averages,
    decide,
    erase_proposal,
    export_proposal_data,
    proposal_from_token,
    proposal_token,
    rate,
)
from consult.errors import NotFound
from consult.events.models import Speaker
from consult.extensions import db
from consult.storage.models import StoredFile
from tests.clock import FIXED_NOW, utc
from tests.clock import wall as clock_wall

REVIEW_NOTE = "Strong speaker, but the slides are thin"


def wall(hour, minute=0):
    """A wall-clock time on the event day, in Kuala Lumpur."""
    return clock_wall(21, hour, minute)


@pytest.fixture
def full_proposal(cb_event, make_proposal, pdf_bytes):
    """A proposal with two speakers, a related challenge and slides."""
    challenge = event_challenges(cb_event)[0]
    return make_proposal(
        cb_event,
        challenge_ids=[challenge.id],
        slides=Upload("repair-cafes.pdf", pdf_bytes),
        speakers=[
            SpeakerInput(
                name="Marta Kowalska",
                email="marta@example.pl",
                affiliation="Circular Economy Club",
                city="Warsaw",
                country="Poland",
                bio="Runs repair cafés.",
                timezone="Europe/Warsaw",
            ),
            SpeakerInput(
                name="Piotr Nowak",
                email="piotr@example.pl",
                affiliation="Warsaw Housing Cooperative",
                city="Warsaw",
                country="Poland",
                timezone="Europe/Warsaw",
            ),
        ],
    )


@pytest.fixture
def reviewed(full_proposal, make_reviewer, organiser, now):
    """The proposal rated by a reviewer and accepted into the agenda at 16:30."""
    reviewer = make_reviewer(full_proposal.event)
    rate(full_proposal, reviewer, 4, REVIEW_NOTE, now=now)
    decide(
        full_proposal,
        organiser,
        "accepted",
        "Welcome aboard, Marta",
        now=now,
        start=wall(16, 30),
    )
    db.session.commit()
    return full_proposal


def test_export_holds_the_proposal_its_people_and_the_decision(reviewed, now):
    data = export_proposal_data(reviewed)
    assert data["event"]["slug"] == reviewed.event.slug
    assert data["proposer"] == {
        "name": "Marta Kowalska",
        "email": "marta@example.pl",
        "language": None,
    }
    assert [(s["name"], s["email"], s["affiliation"]) for s in data["speakers"]] == [
        ("Marta Kowalska", "marta@example.pl", "Circular Economy Club"),
        ("Piotr Nowak", "piotr@example.pl", "Warsaw Housing Cooperative"),
    ]
    assert data["speakers"][0]["bio"] == "Runs repair cafés."
    assert data["speakers"][0]["timezone"] == "Europe/Warsaw"
    item = data["proposal"]
    assert item["kind"] == "best_practice" and item["duration_minutes"] == 15
    assert item["title"] == "Repair cafés with housing cooperatives"
    assert item["abstract"] == "How Warsaw scaled repair networks."
    assert item["challenges"] == ["Food and organic waste"]
    assert item["status"] == "accepted"
    assert item["submitted_at"] == FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["decision"] == {
        "decision": "accepted",
        "message": "Welcome aboard, Marta",
        "decided_at": FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    # 16:30 in Kuala Lumpur (UTC+8) is 08:30 UTC.
    assert data["agenda_session"]["starts_at"] == utc(21, 8, 30).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert data["slides"] == {
        "file_name": "repair-cafes.pdf",
        "type": "pdf",
        "size_bytes": reviewed.slides_size,
    }


def test_export_leaves_out_blind_reviews_and_who_decided(reviewed, organiser):
    text = json.dumps(export_proposal_data(reviewed))
    assert REVIEW_NOTE not in text
    assert "reviewer@example.eu" not in text
    assert organiser.email not in text
    for word in ("rating", "score", "decided_by", "nonce", "sha256", "file_id"):
        assert word not in text


def test_export_of_a_fresh_proposal_has_no_decision_nor_session(
    cb_event, make_proposal
):
    data = export_proposal_data(make_proposal(cb_event))
    assert data["decision"] is None and data["agenda_session"] is None
    assert data["slides"] is None and data["proposal"]["challenges"] == []


def test_erase_withdraws_an_open_proposal_and_removes_its_people(
    app, full_proposal, now
):
    proposal = full_proposal
    token = proposal_token(proposal)
    stored = proposal.slides_file_id
    assert db.session.get(StoredFile, stored) is not None
    erase_proposal(proposal, now=now)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(StoredFile, stored) is None
    assert proposal.status == "withdrawn" and proposal.withdrawn_at == now
    assert proposal.proposer_name == ERASED_PROPOSER
    assert proposal.proposer_email == "" and proposal.erased
    for speaker in proposal.speakers:
        assert speaker.name == ERASED_SPEAKER
        assert (speaker.email, speaker.affiliation, speaker.city) == ("", "", "")
        assert (speaker.country, speaker.bio) == ("", "")
        assert speaker.timezone == proposal.event.timezone
    assert len(proposal.speakers) == 2  # counted, not named
    assert proposal.slides_file_id is None and proposal.slides_original == ""
    assert proposal.kind == "best_practice" and proposal.duration_minutes == 15
    with pytest.raises(NotFound):
        proposal_from_token(token)


def test_erase_twice_changes_nothing_more(full_proposal, now):
    erase_proposal(full_proposal, now=now)
    db.session.commit()
    nonce, updated = full_proposal.nonce, full_proposal.updated_at
    assert erase_proposal(full_proposal, now=now.replace(hour=12)) is None
    db.session.commit()
    db.session.expire_all()
    assert full_proposal.nonce == nonce and full_proposal.updated_at == updated
    assert db.session.scalar(select(func.count(Proposal.id))) == 1


def test_erase_keeps_an_accepted_session_without_the_speakers_identity(
    reviewed, now, outbox
):
    proposal = reviewed
    session = proposal.session
    # A moderator the organisers added to the session themselves.
    session.speakers.append(
        Speaker(name="Lee Mei Ling", affiliation="MBPJ", position=len(session.speakers))
    )
    db.session.commit()
    decided_at, count = proposal.decided_at, proposal.decision_count
    before = averages(proposal.event)[proposal.id]
    erase_proposal(proposal, now=now)
    db.session.commit()
    db.session.expire_all()
    assert proposal.status == "accepted" and proposal.session is session
    assert session in proposal.event.sessions
    assert session.title == "Repair cafés with housing cooperatives"
    assert [(s.name, s.affiliation, s.city, s.bio) for s in session.speakers] == [
        (ERASED_SPEAKER, "", "", ""),
        (ERASED_SPEAKER, "", "", ""),
        ("Lee Mei Ling", "MBPJ", "", ""),
    ]
    assert proposal.decided_at == decided_at and proposal.decision_count == count
    assert proposal.decision_message == ""
    assert averages(proposal.event)[proposal.id] == before  # statistics kept
    assert not proposal.consent_publish


def test_a_later_decision_on_an_erased_proposal_emails_no_one(
    reviewed, organiser, now, outbox
):
    erase_proposal(reviewed, now=now)
    db.session.commit()
    queued = len(outbox())
    decide(reviewed, organiser, "rejected", "Programme changed", now=now)
    db.session.commit()
    assert reviewed.status == "rejected" and reviewed.session is None
    assert len(outbox()) == queued


def test_erase_keeps_a_rejection(cb_event, make_proposal, organiser, now):
    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "rejected", "Not this time, Marta", now=now)
    db.session.commit()
    erase_proposal(proposal, now=now)
    db.session.commit()
    assert proposal.status == "rejected" and proposal.withdrawn_at is None
    assert proposal.decided_at == now and proposal.decision_message == ""


# Through HTTP.


def page_url(proposal, token=None):
    return (
        f"/events/{proposal.event.slug}/proposals/{token or proposal_token(proposal)}"
    )


def test_proposal_page_offers_download_and_erasure(client, full_proposal):
    html = client.get(page_url(full_proposal)).get_data(as_text=True)
    assert "Download my data (JSON)" in html and "/data.json" in html
    assert 'id="erase-confirm"' in html and "Erase my data" in html
    assert "Erasing your data withdraws your proposal." in html


def test_download_my_data(client, reviewed):
    response = client.get(page_url(reviewed) + "/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert (
        f"proposal-{reviewed.event.slug}.json"
        in (response.headers["Content-Disposition"])
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["proposer"]["email"] == "marta@example.pl"
    assert data["speakers"][1]["name"] == "Piotr Nowak"
    assert REVIEW_NOTE not in response.get_data(as_text=True)


def test_erase_without_the_tick_says_so_next_to_it_and_changes_nothing(
    app, client, full_proposal
):
    url = page_url(full_proposal)
    response = client.post(url + "/erase", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="erase-confirm-error"' in html
    assert "Tick the box to confirm the erasure." in html
    db.session.expire_all()
    assert full_proposal.proposer_name == "Marta Kowalska"
    assert full_proposal.status == "submitted"
    assert db.session.get(StoredFile, full_proposal.slides_file_id) is not None
    assert client.get(url).status_code == 200


def test_erase_through_the_page_then_the_link_is_dead(app, client, full_proposal):
    url = page_url(full_proposal)
    stored = full_proposal.slides_file_id
    response = client.post(url + "/erase", data={"erase-confirm": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your data has been erased" in html
    assert "Marta" not in html
    db.session.expire_all()
    assert db.session.get(StoredFile, stored) is None
    assert full_proposal.proposer_name == ERASED_PROPOSER
    assert full_proposal.status == "withdrawn"
    assert client.get(url).status_code == 404
    assert client.get(url + "/data.json").status_code == 404
    assert client.post(url + "/erase", data={"erase-confirm": "y"}).status_code == 404


def test_organisers_see_the_erased_proposal_without_an_address(
    client, login, organiser, reviewed, now
):
    erase_proposal(reviewed, now=now)
    db.session.commit()
    login(organiser)
    html = client.get(
        f"/manage/events/{reviewed.event.slug}/contributions/{reviewed.id}"
    ).get_data(as_text=True)
    assert f"proposed by {ERASED_PROPOSER}" in html
    assert "&lt;&gt;" not in html and "marta@example.pl" not in html
