"""No overbooking under real concurrency, on PostgreSQL and on SQLite (file database).

Every worker is a thread with its own app context, so its own session and
database connection; a barrier starts them together.
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services import (
    RegistrationData,
    cancel_registration,
    register,
)
from tests.conftest import FIXED_NOW

JOIN_TIMEOUT = 120


def run_together(app, jobs):
    """Run each job (a callable) in its own thread and app context, all at once.

    Returns (results, errors); each job commits its own transaction.
    """
    # End the test's own transaction: on SQLite it would hold the write lock
    # (BEGIN IMMEDIATE) and every worker would wait for it in vain.
    db.session.commit()
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def worker(job):
        try:
            with app.app_context():
                barrier.wait(30)
                try:
                    results.append(job())
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "workers hung"
    return results, errors


def registering(
    event_id, email, type_key="government", *, role="attendee", assisted_by_id=None
):
    from consult.auth.models import User
    from consult.events.models import Event

    def job():
        event = db.session.get(Event, event_id)
        data = RegistrationData(
            full_name=email.split("@")[0],
            email=email,
            country="MY",
            timezone="Asia/Kuala_Lumpur",
            type_key=type_key,
            role=role,
            consent_privacy=True,
        )
        helper = db.session.get(User, assisted_by_id) if assisted_by_id else None
        return register(event, data, now=FIXED_NOW, assisted_by=helper).created

    return job


def rows(event):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)
        )
    )


def test_200_registrations_for_the_last_10_seats(app, make_reg_event):
    event = make_reg_event(capacity=10)
    jobs = [registering(event.id, f"p{n}@example.org") for n in range(200)]
    results, errors = run_together(app, jobs)
    assert not errors, errors[:3]
    assert results == [True] * 200
    registrations = rows(event)
    statuses = Counter(r.status for r in registrations)
    assert statuses == {"confirmed": 10, "waitlisted": 190}
    positions = sorted(
        r.waitlist_position for r in registrations if r.waitlist_position
    )
    assert positions == list(range(1, 191))
    db.session.refresh(event)
    assert event.confirmed_count == 10


def test_per_type_caps_hold_independently(app, make_reg_event, stype):
    event = make_reg_event(capacity=100)
    stype(event, "private").cap = 5
    stype(event, "research").cap = 3
    db.session.commit()
    jobs = [registering(event.id, f"b{n}@example.org", "private") for n in range(20)]
    jobs += [registering(event.id, f"r{n}@example.org", "research") for n in range(20)]
    jobs += [
        registering(event.id, f"g{n}@example.org", "government") for n in range(10)
    ]
    _, errors = run_together(app, jobs)
    assert not errors, errors[:3]
    confirmed = Counter(
        r.stakeholder_type.key for r in rows(event) if r.status == "confirmed"
    )
    assert confirmed == {"private": 5, "research": 3, "government": 10}
    db.session.refresh(event)
    assert event.confirmed_count == 18


def test_same_email_twenty_times_at_once_gives_one_registration(app, reg_event):
    jobs = [registering(reg_event.id, "Same@Example.org") for _ in range(20)]
    results, errors = run_together(app, jobs)
    assert not errors, errors[:3]
    assert sorted(results) == [False] * 19 + [True]
    [registration] = rows(reg_event)
    assert registration.email == "same@example.org"
    db.session.refresh(reg_event)
    assert reg_event.confirmed_count == 1


def test_one_email_on_every_path_at_once_gives_one_registration_and_no_deadlock(
    app, make_reg_event, organiser
):
    """The public form's one statement (PostgreSQL: the event's lock, then the
    row), an expert's fast path and an organiser's registration on the
    general path, for one email at once: each path takes the event's lock
    before the email's unique entry, so none waits for another in the
    opposite order (PostgreSQL would abort one as a deadlock), and one
    registration is made."""
    event = make_reg_event(capacity=3)
    email = "Everywhere@Example.org"
    jobs = []
    for _ in range(6):
        jobs.append(registering(event.id, email))
        jobs.append(registering(event.id, email, role="expert"))
        jobs.append(registering(event.id, email, assisted_by_id=organiser.id))
    results, errors = run_together(app, jobs)
    assert not errors, errors[:3]
    assert sorted(results) == [False] * 17 + [True]
    [registration] = rows(event)
    assert registration.email == "everywhere@example.org"
    db.session.refresh(event)
    assert event.confirmed_count == (registration.status == "confirmed")
    told = db.session.scalar(
        select(func.count(OutboundEmail.id)).where(
            OutboundEmail.registration_id == registration.id,
            OutboundEmail.dedup_key.not_like("%link_resent%"),
        )
    )
    assert told == 1


def test_three_cancellations_promote_the_three_oldest_eligible(
    app, make_reg_event, stype, make_registration
):
    event = make_reg_event(capacity=4)
    stype(event, "private").cap = 1
    db.session.commit()
    make_registration(event, type_key="private")
    leaving = [make_registration(event) for _ in range(3)]
    blocked = make_registration(event, type_key="private", status="waitlisted")
    oldest = [make_registration(event, status="waitlisted") for _ in range(3)]
    youngest = make_registration(event, status="waitlisted")

    def cancelling(reg_id):
        return lambda: cancel_registration(
            db.session.get(Registration, reg_id), now=FIXED_NOW
        )

    _, errors = run_together(app, [cancelling(r.id) for r in leaving])
    assert not errors, errors[:3]
    db.session.expire_all()
    assert [r.status for r in oldest] == ["confirmed"] * 3
    assert blocked.status == "waitlisted" and youngest.status == "waitlisted"
    assert event.confirmed_count == 4
    # Keys are registration:<id>:promoted:<moment>; count promotions per person.
    keys = Counter(
        key.rsplit(":promoted", 1)[0]
        for key in db.session.scalars(
            select(OutboundEmail.dedup_key).where(
                OutboundEmail.dedup_key.like("%:promoted%")
            )
        )
    )
    assert keys == {f"registration:{r.id}": 1 for r in oldest}
    total = db.session.scalar(select(func.count(OutboundEmail.id)))
    assert total == 6  # three cancellation notes, three promotions
