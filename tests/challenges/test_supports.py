"""Supports: one per person per input, also under real concurrency."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consult.challenges.models import InputSupport
from consult.challenges.services import (
    support_counts,
    support_input,
    supported_ids,
    withdraw_support,
)
from consult.errors import NotFound, PermissionDenied
from consult.extensions import db
from tests.registration.test_concurrency import run_together


def test_one_support_per_person(ch_event, make_registration, make_input, now):
    reg = make_registration(ch_event)
    item = make_input(ch_event, make_registration(ch_event), state="published")
    assert support_input(item, reg, now=now) is True
    assert support_input(item, reg, now=now) is False
    db.session.commit()
    assert support_counts([item.id]) == {item.id: 1}
    assert supported_ids(ch_event, reg) == {item.id}
    withdraw_support(item, reg, now=now)
    assert support_counts([item.id]) == {}


def test_the_database_refuses_a_second_support(
    ch_event, make_registration, make_input, now
):
    reg = make_registration(ch_event)
    item = make_input(ch_event, reg, state="published")
    db.session.add(
        InputSupport(input_id=item.id, registration_id=reg.id, created_at=now)
    )
    db.session.commit()
    db.session.add(
        InputSupport(input_id=item.id, registration_id=reg.id, created_at=now)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_unpublished_or_foreign_inputs_cannot_be_supported(
    ch_event, make_reg_event, make_registration, make_input, now
):
    reg = make_registration(ch_event)
    hidden = make_input(ch_event, reg, state="hidden")
    with pytest.raises(NotFound):
        support_input(hidden, reg, now=now)
    other = make_reg_event(title="Other event")
    outsider = make_registration(other)
    published = make_input(ch_event, reg, state="published")
    with pytest.raises(NotFound):
        support_input(published, outsider, now=now)
    cancelled = make_registration(ch_event, status="cancelled")
    with pytest.raises(PermissionDenied):
        support_input(published, cancelled, now=now)


def test_concurrent_supports_by_one_person_count_once(
    app, backend, ch_event, make_registration, make_input, now
):
    if backend != "postgresql":
        pytest.skip("real concurrent connections: PostgreSQL")
    from consult.challenges.models import Input
    from consult.registration.models import Registration

    reg = make_registration(ch_event)
    item = make_input(ch_event, make_registration(ch_event), state="published")
    item_id, reg_id = item.id, reg.id

    def job():
        return support_input(
            db.session.get(Input, item_id),
            db.session.get(Registration, reg_id),
            now=now,
        )

    results, errors = run_together(app, [job] * 12)
    assert not errors, errors
    assert sorted(results) == [False] * 11 + [True]
    count = db.session.scalar(
        select(func.count(InputSupport.id)).where(InputSupport.input_id == item_id)
    )
    assert count == 1


def test_concurrent_priority_saves_leave_one_ballot(
    app, backend, ch_event, make_registration, now
):
    if backend != "postgresql":
        pytest.skip("real concurrent connections: PostgreSQL")
    from consult.challenges.models import Priority
    from consult.challenges.services import event_challenges, save_priorities
    from consult.registration.models import Registration

    reg_id = make_registration(ch_event).id
    ids = [c.id for c in event_challenges(ch_event)]
    splits = [(10 - n, n, 0) for n in range(8)]

    def saving(points):
        def job():
            registration = db.session.get(Registration, reg_id)
            save_priorities(registration, dict(zip(ids, points, strict=True)), now=now)

        return job

    results, errors = run_together(app, [saving(p) for p in splits])
    assert not errors, errors
    rows = db.session.scalars(
        select(Priority).where(Priority.registration_id == reg_id)
    ).all()
    assert len(rows) == 3 and sum(r.points for r in rows) == 10
