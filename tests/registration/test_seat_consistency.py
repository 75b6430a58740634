"""Seats stay consistent through every organiser move; the waiting list is served first."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services import EventData, update_event
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services import (
    RegistrationData,
    cancel_registration,
    register,
)
from consult.registration.services.organiser import (
    confirm_from_waitlist,
    move_to_waitlist,
)


def _confirmed(event) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.status == "confirmed"
        )
    )


def _promotion_emails(registration) -> int:
    return db.session.scalar(
        select(func.count(OutboundEmail.id)).where(
            OutboundEmail.dedup_key.like(f"registration:{registration.id}:promoted%")
        )
    )


def _edit(event, organiser, now, **changes):
    data = EventData(
        title=event.title,
        timezone=event.timezone,
        start=event.start_at,
        end=event.end_at,
        slug=event.slug,
        join_url=event.join_url,
        capacity=changes.get("capacity", event.capacity),
    )
    return update_event(event, organiser, data, now=now)


def test_a_second_promotion_is_emailed_again(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    waiting = make_registration(event, status="waitlisted")

    cancel_registration(seated, now=now)
    db.session.commit()
    move_to_waitlist(event, waiting.id, organiser, now=now + timedelta(minutes=1))
    db.session.commit()
    other = make_registration(event, status="waitlisted")
    confirm_from_waitlist(event, other.id, organiser, now=now + timedelta(minutes=2))
    cancel_registration(other, now=now + timedelta(minutes=3))
    db.session.commit()

    db.session.refresh(waiting)
    assert waiting.status == "confirmed"
    assert _promotion_emails(waiting) == 2


def test_capacity_below_the_confirmed_seats_is_refused_on_its_field(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=5)
    for _ in range(3):
        make_registration(event)
    with pytest.raises(ValidationFailed) as refused:
        _edit(event, organiser, now, capacity=2)
    assert refused.value.field == "capacity"
    db.session.rollback()
    assert db.session.get(Event, event.id).capacity == 5


def test_raising_capacity_serves_the_waiting_list_before_newcomers(
    make_reg_event, make_registration, organiser, stype, now
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    first = make_registration(event, status="waitlisted")
    second = make_registration(event, status="waitlisted")

    _edit(event, organiser, now, capacity=2)
    db.session.commit()
    newcomer = register(
        event,
        RegistrationData(
            full_name="New Person", email="new@example.org", country="MY",
            timezone="Asia/Kuala_Lumpur", type_key="government", consent_privacy=True,
        ),
        now=now,
    ).registration  # fmt: skip
    db.session.commit()

    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "confirmed"
    assert second.status == "waitlisted" and second.waitlist_place == 1
    assert newcomer.status == "waitlisted" and newcomer.waitlist_place == 2
    assert db.session.get(Event, event.id).confirmed_count == _confirmed(event) == 2


def test_waitlist_place_counts_only_people_still_waiting(
    make_reg_event, make_registration, now
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    ahead = make_registration(event, status="waitlisted")
    me = make_registration(event, status="waitlisted")
    assert me.waitlist_place == 2
    cancel_registration(seated, now=now)  # promotes `ahead`
    db.session.commit()
    db.session.refresh(ahead)
    assert ahead.status == "confirmed"
    assert me.waitlist_position == 2 and me.waitlist_place == 1


def test_control_characters_are_refused_next_to_the_field(client, reg_event, stype):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data={
            "full_name": "Siti\x00Aminah", "email": "siti@example.my", "country": "MY",
            "timezone": "Asia/Kuala_Lumpur", "type_key": "government",
            "role": "attendee", "consent_privacy": "y",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_two_organisers_giving_the_same_seat_at_once_count_it_once(
    app, backend, make_reg_event, make_registration, organiser, now
):
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    event = make_reg_event(capacity=5)
    make_registration(event)
    waiting = make_registration(event, status="waitlisted")
    event_id, waiting_id, organiser_id = event.id, waiting.id, organiser.id
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def give_seat():
        with app.app_context(), Session(db.engine) as session:
            db.session.remove()
            try:
                actor = db.session.get(type(organiser), organiser_id)
                target_event = db.session.get(Event, event_id)
                barrier.wait()
                confirm_from_waitlist(target_event, waiting_id, actor, now=now)
                db.session.commit()
                outcomes.append("ok")
            except Exception as exc:  # the loser is refused, and nothing else
                db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                db.session.remove()
                session.close()

    threads = [threading.Thread(target=give_seat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["Conflict", "ok"]
    event = db.session.get(Event, event_id)
    assert event.confirmed_count == _confirmed(event) == 2


def test_the_form_states_the_waiting_list_place_counting_only_those_waiting(
    client, make_reg_event, make_registration, now
):
    """The fast path's place: everyone still waiting is ahead, whatever the positions."""
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    promoted = make_registration(event, status="waitlisted")  # position 1
    make_registration(event, status="waitlisted")  # position 2
    cancel_registration(seated, now=now)  # promotes position 1
    db.session.commit()
    assert promoted.status == "confirmed"

    def submit(email: str) -> str:
        return client.post(
            f"/events/{event.slug}/register",
            data={
                "full_name": "Late Person",
                "email": email,
                "country": "MY",
                "timezone": "Asia/Kuala_Lumpur",
                "type_key": "government",
                "role": "attendee",
                "consent_privacy": "y",
            },
        ).get_data(as_text=True)

    # Positions 1 and 2 were given out; one person still waits.
    assert "waiting list at position 2." in submit("late1@example.org")
    assert "waiting list at position 3." in submit("late2@example.org")
    db.session.expire_all()
    late = db.session.scalars(
        select(Registration)
        .where(Registration.email.like("late%"))
        .order_by(Registration.email)
    ).all()
    assert [(r.status, r.waitlist_position, r.waitlist_place) for r in late] == [
        ("waitlisted", 3, 2),
        ("waitlisted", 4, 3),
    ]
