"""The seat API: counter, caps, FIFO waiting list and promotion."""

from __future__ import annotations

import pytest

from consult.errors import Conflict
from consult.extensions import db
from consult.registration.services import (
    ensure_stakeholder_types,
    lock_event,
    promote_from_waitlist,
    release_seat,
    seat_available,
    take_seat,
)


def test_default_types_are_created_once(reg_event):
    types = ensure_stakeholder_types(reg_event)
    assert [t.key for t in types] == [
        "government",
        "private",
        "research",
        "civil_society",
        "informal",
    ]
    assert ensure_stakeholder_types(reg_event) == types


def test_take_seat_counts_and_refuses_when_full(make_reg_event, make_registration, now):
    event = make_reg_event(capacity=1)
    first = make_registration(event)
    assert first.status == "confirmed" and event.confirmed_count == 1
    second = make_registration(event, status="pending")
    lock_event(event.id)
    with pytest.raises(Conflict):
        take_seat(second, now=now, override_cap=True)


def test_type_cap_only_overridable_explicitly(reg_event, stype, make_registration, now):
    stype(reg_event, "private").cap = 1
    db.session.commit()
    make_registration(reg_event, type_key="private")
    waiting = make_registration(reg_event, type_key="private", status="pending")
    lock_event(reg_event.id)
    assert not seat_available(reg_event, stype(reg_event, "private"))
    assert seat_available(reg_event, stype(reg_event, "research"))
    with pytest.raises(Conflict):
        take_seat(waiting, now=now)
    take_seat(waiting, now=now, override_cap=True)
    assert waiting.status == "confirmed" and reg_event.confirmed_count == 2


def test_promotion_skips_full_types_but_keeps_their_place(
    make_reg_event, stype, make_registration, now, outbox
):
    event = make_reg_event(capacity=2)
    stype(event, "private").cap = 1
    db.session.commit()
    make_registration(event, type_key="private")
    leaving = make_registration(event, type_key="research")
    blocked = make_registration(event, type_key="private", status="waitlisted")
    eligible = make_registration(event, type_key="government", status="waitlisted")
    lock_event(event.id)
    release_seat(leaving)
    leaving.status = "cancelled"
    promoted = promote_from_waitlist(event, now=now)
    db.session.commit()
    assert promoted == [eligible]
    assert eligible.status == "confirmed" and eligible.waitlist_position is None
    assert blocked.status == "waitlisted" and blocked.waitlist_position == 1
    assert event.confirmed_count == 2
    [mail] = outbox()
    assert mail.dedup_key.startswith(f"registration:{eligible.id}:promoted:")
    assert "zoom.example.org/j/987654321" in mail.body_text
