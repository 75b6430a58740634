"""The event's waiting-list counters follow every change of status (issue 18).

``events.waiting_count`` and ``events.waitlist_tail`` are kept by triggers
(consult/registration/waiting_counters.py); a newcomer's place and position
are read from them under the event's lock. Each test compares them with the
rows themselves after a real sequence of changes, on both databases.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import (
    RegistrationData,
    cancel_registration,
    erase,
    register,
)
from consult.registration.services.organiser import (
    confirm_from_waitlist,
    move_to_waitlist,
    reject_registrations,
)


def _counters(event: Event) -> tuple[int, int]:
    row = db.session.execute(
        select(Event.waiting_count, Event.waitlist_tail).where(Event.id == event.id)
    ).one()
    return row.waiting_count, row.waitlist_tail


def _from_rows(event: Event) -> tuple[int, int]:
    waiting = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == "waitlisted"
        )
    )
    return waiting, _counters(event)[1]


def _person(n: int) -> RegistrationData:
    return RegistrationData(
        full_name=f"Waiting Person {n}",
        email=f"waiting{n}@example.org",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        type_key="research",
        consent_privacy=True,
    )


def test_public_registrations_count_places_from_the_counters(make_reg_event, now):
    event = make_reg_event(capacity=1)
    results = []
    for n in range(4):
        results.append(register(event, _person(n), now=now))
        db.session.commit()
    assert [r.status for r in results] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [r.place for r in results[1:]] == [1, 2, 3]
    positions = [
        db.session.get(Registration, r.registration_id).waitlist_position
        for r in results[1:]
    ]
    assert positions == [1, 2, 3]
    assert _counters(event) == (3, 3)


def test_every_way_off_the_list_is_counted(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=2)
    seated = [make_registration(event) for _ in range(2)]
    waiting = [make_registration(event, status="waitlisted") for _ in range(5)]
    assert _counters(event) == (5, 5)

    # The person cancels: one fewer waiting, the tail stays.
    cancel_registration(waiting[0], now=now)
    db.session.commit()
    assert _counters(event) == _from_rows(event) == (4, 5)

    # A seat frees: the first waiting person is promoted.
    cancel_registration(seated[0], now=now)
    db.session.commit()
    assert db.session.get(Registration, waiting[1].id).status == "confirmed"
    assert _counters(event) == _from_rows(event) == (3, 5)

    # The organiser rejects one waiting person and erases another's data.
    reject_registrations(event, [waiting[2].id], organiser, "Duplicate", now=now)
    db.session.commit()
    erase(db.session.get(Registration, waiting[3].id), now=now)
    db.session.commit()
    assert _counters(event) == _from_rows(event)

    # A confirmed person moved to the end of the list takes the next position.
    move_to_waitlist(event, seated[1].id, organiser, now=now)
    db.session.commit()
    moved = db.session.get(Registration, seated[1].id)
    assert moved.waitlist_position == 6
    assert _counters(event) == _from_rows(event) == (_from_rows(event)[0], 6)

    # Confirmed by hand from the list (a seat is free again after the move).
    confirm_from_waitlist(event, moved.id, organiser, now=now)
    db.session.commit()
    assert _counters(event) == _from_rows(event)

    # A row deleted outright (as an event's deletion does) is counted too.
    db.session.delete(db.session.get(Registration, waiting[4].id))
    db.session.commit()
    assert _counters(event) == _from_rows(event)


def test_a_newcomer_after_people_left_gets_the_right_place(
    make_reg_event, make_registration, now
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    waiting = [make_registration(event, status="waitlisted") for _ in range(3)]
    cancel_registration(waiting[1], now=now)
    db.session.commit()
    result = register(event, _person(9), now=now)
    db.session.commit()
    # Two people still wait ahead; positions are never reused.
    assert result.status == "waitlisted" and result.place == 3
    newcomer = db.session.get(Registration, result.registration_id)
    assert newcomer.waitlist_position == 4
    assert newcomer.waitlist_place == 3


def test_counters_are_per_event(make_reg_event, make_registration):
    first = make_reg_event(capacity=0)
    second = make_reg_event(capacity=0)
    make_registration(first, status="waitlisted")
    make_registration(first, status="waitlisted")
    make_registration(second, status="waitlisted")
    assert _counters(first) == (2, 2)
    assert _counters(second) == (1, 1)
