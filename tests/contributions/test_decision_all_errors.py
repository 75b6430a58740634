"""A decision on a proposal reports every problem of one submit: the
message too long beside an acceptance with no slot, nothing decided."""

from __future__ import annotations

import pytest

from consult.contributions.services.decisions import check_decision, decide
from consult.errors import ValidationFailed
from consult.extensions import db
from tests.form_summary import error_text, summary_links


def test_the_service_reports_the_decision_message_and_slot(
    cb_event, organiser, make_proposal, now
):
    proposal = make_proposal(cb_event)
    with pytest.raises(ValidationFailed) as refused:
        check_decision(proposal, "maybe", "x" * 5001, None)
    assert [name for name, _m in refused.value.problems] == ["decision", "message"]
    with pytest.raises(ValidationFailed) as refused:
        decide(proposal, organiser, "accepted", "x" * 5001, now=now, start=None)
    assert [name for name, _m in refused.value.problems] == ["message", "start"]
    db.session.rollback()
    assert db.session.get(type(proposal), proposal.id).status == "submitted"


def test_one_submit_shows_the_message_and_the_slot(
    client, login, organiser, cb_event, make_proposal
):
    proposal = make_proposal(cb_event)
    db.session.commit()
    login(organiser)
    response = client.post(
        f"/manage/events/{cb_event.slug}/contributions/{proposal.id}/decide",
        data={"decision": "accepted", "start": "", "message": "x" * 5001},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "5000" in error_text(html, "message")
    assert error_text(html, "start").strip()
    assert summary_links(html) == ["start", "message"]
    db.session.expire_all()
    stored = db.session.get(type(proposal), proposal.id)
    assert (stored.status, stored.decided_at) == ("submitted", None)
