"""The host city's representative proposes challenges; organisers approve them."""

from datetime import timedelta

import pytest

from consult.challenges.models import Challenge
from consult.challenges.services import event_challenges
from consult.contributions.services import (
    CityChallengeData,
    approve_city_challenge,
    invite_representative,
    propose_challenge,
    reject_city_challenge,
    representative_from_token,
    representative_token,
    revoke_representative,
    update_proposed_challenge,
)
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.extensions import db


def data(**overrides):
    values = dict(
        title="Household e-waste collection",
        description="Few drop-off points.",
        category="e_waste",
        evidence_links="https://example.my/report.pdf\n\nhttps://example.my/data",
    )
    values.update(overrides)
    return CityChallengeData(**values)


def test_invitation_mails_a_personal_link(rep, outbox):
    (mail,) = outbox()
    assert mail.template == "contribution_city_invitation"
    assert representative_token(rep) in mail.body_text
    assert representative_from_token(representative_token(rep)) is rep
    assert rep.city == "" or rep.city  # defaults to the event's host city


def test_approval_creates_the_public_challenge_and_links_it(
    cb_event, rep, organiser, now
):
    before = len(event_challenges(cb_event))
    item = propose_challenge(rep, data(), now=now)
    db.session.commit()
    assert item.evidence_links == [
        "https://example.my/report.pdf",
        "https://example.my/data",
    ]
    assert len(event_challenges(cb_event)) == before  # not public yet
    challenge = approve_city_challenge(cb_event, organiser, item, now=now)
    db.session.commit()
    assert item.status == "approved" and item.challenge_id == challenge.id
    assert challenge in event_challenges(cb_event)
    assert challenge.category == "e_waste"
    assert "https://example.my/report.pdf" in challenge.description
    with pytest.raises(Conflict):
        update_proposed_challenge(rep, item, data(title="Changed"), now=now)


def test_approval_can_link_an_existing_challenge(cb_event, rep, organiser, now):
    existing = event_challenges(cb_event)[0]
    item = propose_challenge(rep, data(title=existing.title), now=now)
    approve_city_challenge(cb_event, organiser, item, now=now, existing=existing)
    db.session.commit()
    assert item.challenge_id == existing.id
    assert db.session.query(Challenge).filter_by(title=existing.title).count() == 1


def test_rejected_challenges_can_be_edited_and_sent_again(
    cb_event, rep, organiser, now
):
    item = propose_challenge(rep, data(), now=now)
    reject_city_challenge(cb_event, organiser, item, now=now)
    db.session.commit()
    update_proposed_challenge(rep, item, data(title="Clearer title"), now=now)
    db.session.commit()
    assert item.status == "submitted" and item.title == "Clearer title"


def test_only_before_the_event(cb_event, rep, now):
    with pytest.raises(Conflict):
        propose_challenge(rep, data(), now=cb_event.start_at)
    item = propose_challenge(rep, data(), now=now)
    with pytest.raises(Conflict):
        update_proposed_challenge(
            rep, item, data(), now=cb_event.start_at + timedelta(1)
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "nonsense"}, "category"),
        ({"title": ""}, "title"),
        ({"evidence_links": "javascript:alert(1)"}, "evidence_links"),
        ({"evidence_links": "ftp://example.org/x"}, "evidence_links"),
    ],
)
def test_bad_challenges_are_refused(rep, now, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        propose_challenge(rep, data(**overrides), now=now)
    assert exc.value.field == field


def test_only_the_events_organisers_invite_and_approve(
    cb_event, rep, other_organiser, now
):
    with pytest.raises(PermissionDenied):
        invite_representative(
            cb_event, other_organiser, name="X", email="x@example.org", now=now
        )
    item = propose_challenge(rep, data(), now=now)
    with pytest.raises(PermissionDenied):
        approve_city_challenge(cb_event, other_organiser, item, now=now)


def test_revoked_link_stops_working(cb_event, rep, organiser, now):
    token = representative_token(rep)
    revoke_representative(cb_event, organiser, rep.id, now=now)
    db.session.commit()
    with pytest.raises(NotFound):
        representative_from_token(token)
