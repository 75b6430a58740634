"""An organiser's cancellation: its emails wait for the undo window, and an
undo within it puts the person, the seat and the waiting list back."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.errors import Conflict
from consult.events.models import Event
from consult.extensions import db
from consult.notifications.delivery import deliver_outbox
from consult.notifications.models import OutboundEmail
from consult.registration.models import CancellationUndo, Registration
from consult.registration.services.cancellations import (
    cancel_with_undo,
    pending_undo,
    undo_cancellations,
)
from consult.registration.services.decisions import plan_decision
from consult.registration.services.emails import queue_registration_email
from consult.registration.services.register import register
from tests.registration.test_register_service import data as _form

WINDOW = timedelta(seconds=300)


def _rows(registration, template):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboundEmail).where(
                OutboundEmail.registration_id == registration.id,
                OutboundEmail.template == template,
            )
        )
    )


def _fresh(*objects):
    db.session.expire_all()
    return objects


def _cancel(event, people, organiser, now):
    outcome = cancel_with_undo(event, [p.id for p in people], organiser, now=now)
    db.session.commit()
    return outcome


def test_the_window_is_the_setting(app, reg_event, make_registration, organiser):
    person = make_registration(reg_event)
    app.config["CANCEL_UNDO_SECONDS"] = 120
    plan = plan_decision(reg_event, [person.id], organiser, "cancel")
    assert (plan.undo_seconds, plan.undo_minutes) == (120, 2)


def test_the_email_waits_for_the_window_and_an_undo_withdraws_it(
    reg_event, make_registration, organiser, now
):
    person = make_registration(reg_event)
    # A message queued earlier (its confirmation, not sent yet) is withdrawn
    # by the cancellation and queued again by the undo.
    queue_registration_email(person, "confirmed", now=now)
    db.session.commit()
    outcome = _cancel(reg_event, [person], organiser, now)
    assert person.status == "cancelled"
    assert reg_event.confirmed_count == 0
    [farewell] = _rows(person, "registration_cancelled")
    assert farewell.next_attempt_at == now + WINDOW
    assert _rows(person, "registration_confirmed")[0].status == "withdrawn"

    deliver_outbox(now=now + WINDOW - timedelta(seconds=1))
    assert _rows(person, "registration_cancelled")[0].status == "queued"

    undone = undo_cancellations(
        reg_event, outcome.batch, organiser, now=now + timedelta(seconds=60)
    )
    db.session.commit()
    assert [r.id for r in undone.restored] == [person.id]
    (person,) = _fresh(person)
    assert (person.status, person.cancelled_at, person.confirmed_at) == (
        "confirmed",
        None,
        now,
    )
    assert db.session.get(Event, reg_event.id).confirmed_count == 1
    [farewell] = _rows(person, "registration_cancelled")
    assert farewell.status == "withdrawn"
    assert "undid the cancellation" in farewell.last_error
    assert _rows(person, "registration_confirmed")[0].status == "queued"

    deliver_outbox(now=now + 2 * WINDOW)
    assert _rows(person, "registration_cancelled")[0].status == "withdrawn"
    assert _rows(person, "registration_confirmed")[0].status == "sent"
    record = db.session.scalar(select(CancellationUndo))
    assert record.undone_at == now + timedelta(seconds=60)


def test_after_the_window_the_email_leaves_and_undo_is_refused(
    reg_event, make_registration, organiser, now
):
    person = make_registration(reg_event)
    outcome = _cancel(reg_event, [person], organiser, now)
    assert pending_undo(reg_event, organiser, now=now + WINDOW / 2).batch == (
        outcome.batch
    )
    assert pending_undo(reg_event, organiser, now=now + WINDOW) is None

    deliver_outbox(now=now + WINDOW)
    assert _rows(person, "registration_cancelled")[0].status == "sent"
    with pytest.raises(Conflict, match="Too late to undo"):
        undo_cancellations(reg_event, outcome.batch, organiser, now=now + WINDOW)
    db.session.rollback()
    assert db.session.get(Registration, person.id).status == "cancelled"


def test_cancel_promote_undo_gives_the_seat_back_and_nobody_hears_of_it(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    first = make_registration(event, status="waitlisted")
    second = make_registration(event, status="waitlisted")
    place = first.waitlist_position
    outcome = _cancel(event, [seated], organiser, now)
    first, second = _fresh(first, second)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    [promotion] = _rows(first, "registration_promoted")
    assert promotion.next_attempt_at == now + WINDOW

    undo_cancellations(event, outcome.batch, organiser, now=now + timedelta(seconds=30))
    db.session.commit()
    seated, first, second = _fresh(seated, first, second)
    assert seated.status == "confirmed"
    assert (first.status, first.waitlist_position) == ("waitlisted", place)
    assert first.confirmed_at is None
    event = db.session.get(Event, event.id)
    assert (event.confirmed_count, event.waiting_count) == (1, 2)
    assert [r.status for r in _rows(first, "registration_promoted")] == ["withdrawn"]
    assert [r.full_name for r in _waiting(event)] == [first.full_name, second.full_name]

    deliver_outbox(now=now + 2 * WINDOW)
    assert _rows(first, "registration_promoted")[0].status == "withdrawn"
    assert _rows(seated, "registration_cancelled")[0].status == "withdrawn"


def _waiting(event):
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id, Registration.status == "waitlisted"
            )
            .order_by(Registration.waitlist_position)
        )
    )


def test_a_seat_taken_meanwhile_sends_the_person_to_the_waiting_list(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    outcome = _cancel(event, [seated], organiser, now)
    newcomer = register(
        event, _form(email="newcomer@example.org"), now=now
    ).registration
    db.session.commit()
    assert newcomer.status == "confirmed"

    undone = undo_cancellations(event, outcome.batch, organiser, now=now)
    db.session.commit()
    assert [r.id for r in undone.waitlisted] == [seated.id]
    seated, newcomer = _fresh(seated, newcomer)
    assert (seated.status, newcomer.status) == ("waitlisted", "confirmed")
    event = db.session.get(Event, event.id)
    assert (event.confirmed_count, event.waiting_count) == (1, 1)
    assert _rows(seated, "registration_cancelled")[0].status == "withdrawn"
    # Told of what is true now: their place on the waiting list.
    assert [r.status for r in _rows(seated, "registration_waitlisted")] == ["queued"]


def test_without_a_waiting_list_a_taken_seat_keeps_the_cancellation(
    make_reg_event, make_registration, organiser, now
):
    event = make_reg_event(capacity=1, waitlist_enabled=False)
    seated = make_registration(event)
    outcome = _cancel(event, [seated], organiser, now)
    register(event, _form(email="newcomer@example.org"), now=now)
    db.session.commit()

    undone = undo_cancellations(event, outcome.batch, organiser, now=now)
    db.session.commit()
    [(person, reason)] = undone.skipped
    assert person.id == seated.id and "no waiting list" in reason
    (seated,) = _fresh(seated)
    assert seated.status == "cancelled"
    assert _rows(seated, "registration_cancelled")[0].status == "queued"


def test_several_at_once_are_undone_together_each_as_before(
    make_reg_event, make_registration, organiser, now
):
    # Cancelling the seated person promotes the waiting one, who is cancelled
    # next in the same action: undone last first, each returns as before.
    reg_event = make_reg_event(capacity=1)
    seated = make_registration(reg_event)
    waiting = make_registration(reg_event, status="waitlisted")
    pending = make_registration(reg_event, status="pending")
    place = waiting.waitlist_position
    outcome = _cancel(reg_event, [seated, waiting, pending], organiser, now)
    assert len(outcome.done) == 3
    assert pending_undo(reg_event, organiser, now=now).names == [
        seated.full_name,
        waiting.full_name,
        pending.full_name,
    ]

    undone = undo_cancellations(reg_event, outcome.batch, organiser, now=now)
    db.session.commit()
    assert len(undone.restored) == 3
    seated, waiting, pending = _fresh(seated, waiting, pending)
    assert [r.status for r in (seated, waiting, pending)] == [
        "confirmed",
        "waitlisted",
        "pending",
    ]
    assert waiting.waitlist_position == place
    with pytest.raises(Conflict, match="already undone"):
        undo_cancellations(reg_event, outcome.batch, organiser, now=now)


def test_a_person_who_registered_again_is_not_undone(
    reg_event, make_registration, organiser, now
):
    person = make_registration(reg_event)
    outcome = _cancel(reg_event, [person], organiser, now)
    again = register(
        reg_event, _form(email=person.email), now=now + timedelta(seconds=5)
    ).registration
    db.session.commit()
    assert again.id == person.id and again.status == "confirmed"
    undone = undo_cancellations(reg_event, outcome.batch, organiser, now=now)
    assert undone.skipped and not undone.restored


def test_a_changed_selection_is_refused(reg_event, make_registration, organiser, now):
    person = make_registration(reg_event, status="pending")
    plan = plan_decision(reg_event, [person.id], organiser, "cancel")
    person.status = "rejected"
    db.session.commit()
    with pytest.raises(Conflict, match="selection changed"):
        cancel_with_undo(
            reg_event, [person.id], organiser, now=now, expected=plan.fingerprint
        )


def test_an_undo_racing_a_registration_for_the_last_seat_counts_it_once(
    app, backend, make_reg_event, make_registration, organiser, now
):
    """Real concurrent connections: whoever takes the event's lock first gets
    the seat; the other is on the waiting list, never a seat too many."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    outcome = _cancel(event, [seated], organiser, now)
    event_id, seated_id, organiser_id = event.id, seated.id, organiser.id
    db.session.remove()
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def run(act):
        with app.app_context(), Session(db.engine) as session:
            db.session.remove()
            try:
                target = db.session.get(Event, event_id)
                actor = db.session.get(type(organiser), organiser_id)
                barrier.wait()
                act(target, actor)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 (reported below)
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()
                session.close()

    def undo(target, actor):
        undo_cancellations(target, outcome.batch, actor, now=now)

    def newcomer(target, actor):
        register(target, _form(email="racer@example.org"), now=now)

    threads = [threading.Thread(target=run, args=(f,)) for f in (undo, newcomer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    event = db.session.get(Event, event_id)
    statuses = dict(
        db.session.execute(
            select(Registration.email, Registration.status).where(
                Registration.event_id == event_id
            )
        ).all()
    )
    assert sorted(statuses.values()) == ["confirmed", "waitlisted"]
    assert statuses[db.session.get(Registration, seated_id).email] in (
        "confirmed",
        "waitlisted",
    )
    confirmed = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id, Registration.status == "confirmed"
        )
    )
    assert event.confirmed_count == confirmed == 1
    assert event.waiting_count == 1


def test_without_a_window_the_email_leaves_at_once_and_nothing_is_offered(
    app, reg_event, make_registration, organiser, now
):
    app.config["CANCEL_UNDO_SECONDS"] = 0
    person = make_registration(reg_event)
    outcome = _cancel(reg_event, [person], organiser, now)
    assert outcome.plan.undo_minutes == 0
    assert pending_undo(reg_event, organiser, now=now) is None
    deliver_outbox(now=now)
    assert _rows(person, "registration_cancelled")[0].status == "sent"
    with pytest.raises(Conflict, match="Too late"):
        undo_cancellations(reg_event, outcome.batch, organiser, now=now)
