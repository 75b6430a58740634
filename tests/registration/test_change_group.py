"""An organiser moves a registrant to another stakeholder group."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.errors import Conflict, PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.organiser import change_stakeholder_type
from consult.registration.services.organiser_queries import stakeholder_balance


def _confirmed_by_key(event) -> dict[str, int]:
    balance = stakeholder_balance(event)
    return {
        row.stakeholder_type.key: row.confirmed
        for row in balance.types
        if row.confirmed
    }


def test_a_person_moves_with_their_seat_and_counts_in_the_new_group(
    reg_event, make_registration, stype, organiser, now
):
    person = make_registration(reg_event, type_key="government")
    make_registration(reg_event, type_key="research")
    assert _confirmed_by_key(reg_event) == {"government": 1, "research": 1}

    change_stakeholder_type(
        reg_event, person.id, organiser, stype(reg_event, "research").id, now=now
    )
    db.session.commit()

    db.session.expire_all()
    assert person.stakeholder_type.key == "research" and person.status == "confirmed"
    assert person.updated_at == now
    assert reg_event.confirmed_count == 2
    assert _confirmed_by_key(reg_event) == {"research": 2}


def test_the_new_groups_cap_needs_the_override(
    reg_event, make_registration, stype, organiser, now
):
    research = stype(reg_event, "research")
    research.cap = 1
    db.session.commit()
    make_registration(reg_event, type_key="research")
    person = make_registration(reg_event, type_key="government")

    with pytest.raises(Conflict, match="exceed the cap"):
        change_stakeholder_type(reg_event, person.id, organiser, research.id, now=now)
    db.session.rollback()
    assert person.stakeholder_type.key == "government"

    change_stakeholder_type(
        reg_event, person.id, organiser, research.id, now=now, override_cap=True
    )
    db.session.commit()
    assert person.stakeholder_type_id == research.id


def test_the_place_a_cap_held_back_goes_to_the_waiting_list(
    reg_event, make_registration, stype, organiser, now, outbox
):
    private = stype(reg_event, "private")
    private.cap = 1
    db.session.commit()
    leaving = make_registration(reg_event, type_key="private")
    waiting = make_registration(reg_event, type_key="private", status="waitlisted")

    change_stakeholder_type(
        reg_event, leaving.id, organiser, stype(reg_event, "research").id, now=now
    )
    db.session.commit()

    db.session.expire_all()
    assert waiting.status == "confirmed" and waiting.waitlist_position is None
    assert reg_event.confirmed_count == 2
    assert [(e.recipient, e.params["kind"]) for e in outbox()] == [
        (waiting.email, "promoted")
    ]


def test_refusals_change_nothing(
    reg_event, make_reg_event, make_registration, stype, organiser, other_organiser, now
):
    person = make_registration(reg_event, type_key="government")
    elsewhere = make_reg_event()
    foreign = stype(elsewhere, "research")
    with pytest.raises(ValidationFailed) as refused:
        change_stakeholder_type(reg_event, person.id, organiser, foreign.id, now=now)
    assert refused.value.field == "type_id"
    db.session.rollback()
    with pytest.raises(Conflict, match="already in"):
        change_stakeholder_type(
            reg_event, person.id, organiser, person.stakeholder_type_id, now=now
        )
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        change_stakeholder_type(
            reg_event,
            person.id,
            other_organiser,
            stype(reg_event, "research").id,
            now=now,
        )
    db.session.rollback()
    closed = make_registration(reg_event, status="cancelled")
    with pytest.raises(Conflict, match="closed"):
        change_stakeholder_type(
            reg_event, closed.id, organiser, stype(reg_event, "research").id, now=now
        )
    db.session.rollback()
    db.session.expire_all()
    assert person.stakeholder_type.key == "government"


def test_from_the_pages_a_registrant_changes_group(
    client, login, organiser, other_organiser, reg_event, stype
):
    """A person registers through the form; the organiser moves them on the list."""
    client.post(
        f"/events/{reg_event.slug}/register",
        data={
            "full_name": "Nurul Izzah",
            "email": "nurul@example.org",
            "country": "MY",
            "timezone": "Asia/Kuala_Lumpur",
            "type_key": "informal",
            "role": "attendee",
            "consent_privacy": "y",
        },
    )
    person = db.session.scalar(
        select(Registration).where(Registration.email == "nurul@example.org")
    )
    civil = stype(reg_event, "civil_society")
    target = f"/manage/events/{reg_event.slug}/registrations/{person.id}/type"

    login(other_organiser)  # not theirs: nothing changes
    assert client.post(target, data={"type_id": civil.id}).status_code in (403, 404)
    db.session.expire_all()
    assert person.stakeholder_type.key == "informal"

    login(organiser)
    listing = client.get(f"/manage/events/{reg_event.slug}/registrations")
    assert f'id="type-{person.id}"' in listing.get_data(as_text=True)
    response = client.post(target, data={"type_id": civil.id}, follow_redirects=True)
    assert "Nurul Izzah is now in" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.stakeholder_type_id == civil.id

    # Not a number: refused with a message, nothing changes.
    response = client.post(target, data={"type_id": "x"}, follow_redirects=True)
    assert "Choose one of this event" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.stakeholder_type_id == civil.id
