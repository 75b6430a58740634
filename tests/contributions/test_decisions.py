"""Decisions: accept -> agenda session with speakers and a slot; warnings; emails."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from consult.contributions.services import (
    SlotNeedsConfirmation,
    decide,
    place_proposal,
    slot_warnings,
    withdraw_proposal,
)
from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.events.services import SessionData, SpeakerData, add_session
from consult.extensions import db
from consult.timeutil import localize
from tests.clock import wall as clock_wall

ZONE = "Asia/Kuala_Lumpur"


def wall(hour, minute=0):
    return clock_wall(21, hour, minute)


def test_accept_creates_an_agenda_session_with_speakers_in_the_slot(
    cb_event, make_proposal, organiser, now, outbox
):
    proposal = make_proposal(cb_event)
    decide(
        proposal, organiser, "accepted", "Welcome aboard", now=now, start=wall(16, 30)
    )
    db.session.commit()
    session = proposal.session
    assert proposal.status == "accepted"
    assert session in cb_event.sessions
    assert session.title == proposal.title
    assert session.start_at == localize(wall(16, 30), ZONE)
    assert session.end_at - session.start_at == timedelta(minutes=15)
    assert [(s.name, s.city) for s in session.speakers] == [
        ("Marta Kowalska", "Warsaw")
    ]
    templates = [m.template for m in outbox()]
    decision = next(m for m in outbox() if m.template == "contribution_decision")
    assert "Welcome aboard" in decision.body_text
    assert "09:30 CET (16:30 in Kuala Lumpur), for 15 minutes" in decision.body_text
    assert templates.count("contribution_decision") == 1
    assert templates.count("contribution_scheduled") == 1


def test_speaker_email_has_both_zones_and_the_invite(
    cb_event, make_proposal, organiser, now, outbox
):
    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "accepted", "", now=now, start=wall(16, 30))
    db.session.commit()
    mail = next(m for m in outbox() if m.template == "contribution_scheduled")
    assert mail.recipient == "marta@example.pl"
    # 16:30 in Kuala Lumpur is 09:30 in Warsaw (CET) on 15 December.
    assert "09:30 CET (16:30 in Kuala Lumpur)" in mail.body_text
    ics = next(a for a in mail.attachments if a.disposition == "attachment")
    calendar = Calendar.from_ical(ics.content)
    assert calendar["method"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["uid"]).startswith(f"session-{proposal.session_id}@")
    assert "marta@example.pl" in str(vevent["attendee"])
    assert vevent.decoded("dtstart") == localize(wall(16, 30), ZONE)


def test_accept_without_a_slot_is_refused(cb_event, make_proposal, organiser, now):
    proposal = make_proposal(cb_event)
    with pytest.raises(ValidationFailed) as exc:
        decide(proposal, organiser, "accepted", now=now, start=None)
    assert exc.value.field == "start"


def test_overlap_is_a_warning_that_can_be_confirmed(
    cb_event, make_proposal, organiser, now
):
    add_session(
        cb_event,
        organiser,
        SessionData("Welcome", wall(16), wall(16, 20), speakers=[SpeakerData("Host")]),
        now=now,
    )
    proposal = make_proposal(cb_event)
    with pytest.raises(SlotNeedsConfirmation) as exc:
        decide(proposal, organiser, "accepted", now=now, start=wall(16, 10))
    assert any("Welcome" in w for w in exc.value.warnings)
    db.session.rollback()
    decide(proposal, organiser, "accepted", now=now, start=wall(16, 10), confirm=True)
    db.session.commit()
    assert proposal.session.start_at == localize(wall(16, 10), ZONE)
    assert len(cb_event.sessions) == 2


def test_a_slot_outside_the_event_is_a_warning_too(
    cb_event, make_proposal, organiser, now
):
    proposal = make_proposal(cb_event)
    start = localize(wall(17, 55), ZONE)
    warnings = slot_warnings(cb_event, start, start + timedelta(minutes=15))
    assert warnings and "outside the event" in warnings[0]
    with pytest.raises(SlotNeedsConfirmation):
        decide(proposal, organiser, "accepted", now=now, start=wall(17, 55))
    db.session.rollback()
    decide(proposal, organiser, "accepted", now=now, start=wall(17, 55), confirm=True)
    db.session.commit()
    assert proposal.session.end_at == localize(wall(18, 10), ZONE)


def test_moving_the_session_sends_an_update_with_a_higher_sequence(
    cb_event, make_proposal, organiser, now, outbox
):
    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "accepted", now=now, start=wall(16, 30))
    place_proposal(proposal, organiser, wall(17), now=now)
    db.session.commit()
    scheduled = [m for m in outbox() if m.template == "contribution_scheduled"]
    assert len(scheduled) == 2
    sequences = [
        Calendar.from_ical(m.attachments[0].content).walk("VEVENT")[0]["sequence"]
        for m in scheduled
    ]
    assert sequences == [1, 2]
    assert proposal.session.start_at == localize(wall(17), ZONE)
    assert len(cb_event.sessions) == 1


def test_reject_and_reserve_email_the_editable_message(
    cb_event, make_proposal, organiser, now, outbox
):
    a = make_proposal(cb_event)
    b = make_proposal(cb_event, proposer_email="jan@example.nl")
    decide(a, organiser, "rejected", "Sorry, a full programme.", now=now)
    decide(b, organiser, "reserve", "You are first in line.", now=now)
    db.session.commit()
    decisions = {
        m.recipient: m for m in outbox() if m.template == "contribution_decision"
    }
    assert "Sorry, a full programme." in decisions["marta@example.pl"].body_text
    assert "You are first in line." in decisions["jan@example.nl"].body_text
    assert a.status == "rejected" and b.status == "reserve"
    assert a.session is None


def test_rejecting_an_accepted_proposal_removes_its_session(
    cb_event, make_proposal, organiser, now, outbox
):
    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "accepted", now=now, start=wall(16, 30))
    db.session.commit()
    decide(proposal, organiser, "rejected", "Changed plans", now=now)
    db.session.commit()
    assert proposal.session_id is None
    assert cb_event.sessions == []
    (cancel,) = [m for m in outbox() if m.template == "contribution_unscheduled"]
    assert cancel.recipient == "marta@example.pl"
    calendar = Calendar.from_ical(cancel.attachments[0].content)
    assert calendar["method"] == "CANCEL"
    assert "method=CANCEL" in cancel.attachments[0].content_type
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["status"] == "CANCELLED" and vevent["sequence"] == 2


def test_withdrawing_an_accepted_proposal_removes_its_session(
    cb_event, make_proposal, organiser, now, outbox
):
    proposal = make_proposal(cb_event)
    decide(proposal, organiser, "accepted", now=now, start=wall(16, 30))
    db.session.commit()
    withdraw_proposal(proposal, now=now)
    db.session.commit()
    assert proposal.status == "withdrawn" and cb_event.sessions == []
    assert [m.template for m in outbox()].count("contribution_unscheduled") == 1
    with pytest.raises(Conflict):
        decide(proposal, organiser, "accepted", now=now, start=wall(16, 30))


def test_only_the_events_organisers_decide(
    cb_event, make_proposal, make_reviewer, other_organiser, now
):
    proposal = make_proposal(cb_event)
    reviewer = make_reviewer(cb_event)
    for actor in (reviewer, other_organiser):
        with pytest.raises(PermissionDenied):
            decide(proposal, actor, "rejected", now=now)


def test_the_suggested_slot_is_the_first_free_gap(cb_event, organiser, now):
    from consult.contributions.services.decisions import suggest_start

    assert suggest_start(cb_event, 15) == cb_event.start_at
    for start, end in ((wall(16), wall(16, 20)), (wall(16, 30), wall(18))):
        add_session(
            cb_event, organiser, SessionData("Block", start, end, speakers=[]), now=now
        )
    assert suggest_start(cb_event, 10) == localize(wall(16, 20), ZONE)
    assert suggest_start(cb_event, 15) == localize(wall(18), ZONE)  # after the last
