"""The call window, proposals, edits and withdrawal by the proposer only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.challenges.services import event_challenges
from consult.contributions.models import Proposal
from consult.contributions.services import (
    CallData,
    SpeakerInput,
    call_for,
    call_open,
    editable,
    proposal_from_token,
    proposal_token,
    submit_proposal,
    update_call,
    update_proposal,
    withdraw_proposal,
)
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db


def test_call_window_opens_and_closes(cb_event, now):
    call = call_for(cb_event)
    assert call_open(call, now)
    assert not call_open(call, call.closes_at)
    assert not call_open(call, call.opens_at - timedelta(seconds=1))
    assert call_open(call, call.opens_at)


def test_no_call_means_closed(reg_event, now):
    assert call_for(reg_event) is None
    assert not call_open(None, now)


def test_call_needs_a_kind_and_a_closing_after_opening(cb_event, organiser, now):
    with pytest.raises(ValidationFailed) as exc:
        update_call(
            cb_event,
            organiser,
            CallData(now, now + timedelta(days=1), kinds={}),
            now=now,
        )
    assert exc.value.field == "best_practice"
    with pytest.raises(ValidationFailed) as exc:
        update_call(
            cb_event,
            organiser,
            CallData(now, now - timedelta(days=1), kinds={"case_study": [20]}),
            now=now,
        )
    assert exc.value.field == "closes_at"


def test_only_organisers_set_up_the_call(cb_event, other_organiser, now):
    with pytest.raises(PermissionDenied):
        update_call(
            cb_event,
            other_organiser,
            CallData(None, now + timedelta(days=1), kinds={"case_study": [20]}),
            now=now,
        )


def test_submission_outside_the_window_is_refused(
    cb_event, open_call, proposal_data, now
):
    open_call(cb_event, opens=now + timedelta(days=1), closes=now + timedelta(days=2))
    with pytest.raises(Conflict):
        submit_proposal(cb_event, proposal_data(), now=now)
    open_call(cb_event, opens=now - timedelta(days=3), closes=now - timedelta(days=1))
    with pytest.raises(Conflict):
        submit_proposal(cb_event, proposal_data(), now=now)
    assert db.session.scalar(select(Proposal.id)) is None


def test_submit_stores_speakers_challenges_and_mails_the_link(
    cb_event, make_proposal, outbox
):
    challenge = event_challenges(cb_event)[0]
    proposal = make_proposal(cb_event, challenge_ids=[challenge.id])
    assert proposal.status == "submitted"
    assert [s.name for s in proposal.speakers] == ["Marta Kowalska"]
    assert proposal.speakers[0].timezone == "Europe/Warsaw"
    assert proposal.challenge_ids == [challenge.id]
    (mail,) = outbox()
    assert mail.recipient == "marta@example.pl"
    assert proposal_token(proposal) in mail.body_text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "panel_statement"}, "kind"),
        ({"duration_minutes": 45}, "duration_minutes"),
        ({"title": "  "}, "title"),
        ({"speakers": [SpeakerInput(name="", email="")]}, "speakers"),
        ({"speakers": [SpeakerInput(name="A", email="not-an-email")]}, "speakers"),
        ({"challenge_ids": [999999]}, "challenge_ids"),
    ],
)
def test_bad_proposals_are_refused_next_to_the_field(
    cb_event, proposal_data, now, overrides, field
):
    with pytest.raises(ValidationFailed) as exc:
        submit_proposal(cb_event, proposal_data(**overrides), now=now)
    assert exc.value.field == field


def test_challenges_of_another_event_are_refused(
    cb_event, make_cb_event, other_organiser, proposal_data, now
):
    other = make_cb_event(other_organiser, title="Other consultation")
    foreign = event_challenges(other)[0]
    with pytest.raises(ValidationFailed):
        submit_proposal(cb_event, proposal_data(challenge_ids=[foreign.id]), now=now)


def test_the_proposer_edits_until_the_call_closes(
    cb_event, make_proposal, proposal_data, now
):
    proposal = make_proposal(cb_event)
    update_proposal(proposal, proposal_data(title="A better title"), now=now)
    db.session.commit()
    assert proposal.title == "A better title"
    closes = call_for(cb_event).closes_at
    assert not editable(proposal, closes)
    with pytest.raises(Conflict):
        update_proposal(proposal, proposal_data(title="Too late"), now=closes)


def test_edit_after_a_decision_is_refused(
    cb_event, make_proposal, proposal_data, organiser, now
):
    from consult.contributions.services import decide

    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "reserve", "Later", now=now)
    with pytest.raises(Conflict):
        update_proposal(proposal, proposal_data(), now=now)


def test_withdraw_at_any_time_even_after_the_call(cb_event, make_proposal, now):
    proposal = make_proposal(cb_event)
    after = call_for(cb_event).closes_at + timedelta(days=1)
    withdraw_proposal(proposal, now=after)
    db.session.commit()
    assert proposal.status == "withdrawn"
    assert proposal.withdrawn_at == after


def test_tokens_open_only_their_own_proposal(cb_event, make_proposal):
    a = make_proposal(cb_event)
    b = make_proposal(cb_event, proposer_email="jan@example.nl", proposer_name="Jan")
    assert proposal_from_token(proposal_token(a)) is a
    assert proposal_from_token(proposal_token(b)) is b
    token = proposal_token(a)
    with pytest.raises(NotFound):
        proposal_from_token(token[:-2] + "xx")
    a.nonce = "rotated"
    db.session.commit()
    with pytest.raises(NotFound):
        proposal_from_token(token)
