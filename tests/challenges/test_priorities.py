"""Prioritisation: exactly 10 points or a full ranking; results per type in SQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from consult.challenges.models import Priority
from consult.challenges.services import (
    ballot_of,
    event_challenges,
    priority_results,
    save_priorities,
)
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db


def _ids(event):
    return [c.id for c in event_challenges(event)]


@pytest.mark.parametrize(
    "points",
    [(5, 4, 0), (5, 5, 1), (11, -1, 0), (10, 0, 0, 0)],
)
def test_exactly_ten_non_negative_points(ch_event, make_registration, now, points):
    reg = make_registration(ch_event)
    ids = _ids(ch_event)
    if len(points) > len(ids):
        values = dict(zip([*ids, 999999], points, strict=True))
    else:
        values = dict(zip(ids, points, strict=True))
    with pytest.raises(ValidationFailed):
        save_priorities(reg, values, now=now)
    assert ballot_of(reg) == {}


def test_points_are_saved_once_and_replaced(ch_event, make_registration, now):
    reg = make_registration(ch_event)
    a, b, c = _ids(ch_event)
    save_priorities(reg, {a: 7, b: 3}, now=now)
    assert ballot_of(reg) == {a: 7, b: 3, c: 0}
    save_priorities(reg, {a: 1, b: 1, c: 8}, now=now)
    db.session.commit()
    assert ballot_of(reg) == {a: 1, b: 1, c: 8}
    assert db.session.query(Priority).filter_by(registration_id=reg.id).count() == 3


def test_the_database_refuses_negative_points(ch_event, make_registration, now):
    reg = make_registration(ch_event)
    db.session.add(
        Priority(
            event_id=ch_event.id,
            registration_id=reg.id,
            challenge_id=_ids(ch_event)[0],
            points=-1,
            updated_at=now,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_only_confirmed_registrants_while_the_window_is_open(
    ch_event, make_registration, now
):
    values = dict(zip(_ids(ch_event), (4, 3, 3), strict=True))
    waiting = make_registration(ch_event, status="waitlisted")
    with pytest.raises(PermissionDenied):
        save_priorities(waiting, values, now=now)
    reg = make_registration(ch_event)
    with pytest.raises(PermissionDenied):
        save_priorities(reg, values, now=now + timedelta(days=30))


def test_ranking_needs_each_place_once(ch_event, make_registration, now, open_window):
    open_window(ch_event, method="ranking")
    reg = make_registration(ch_event)
    a, b, c = _ids(ch_event)
    for bad in ({a: 1, b: 1, c: 2}, {a: 1, b: 2}, {a: 1, b: 2, c: 4}):
        with pytest.raises(ValidationFailed):
            save_priorities(reg, bad, now=now)
    save_priorities(reg, {a: 2, b: 3, c: 1}, now=now)
    results = priority_results(ch_event)
    # First place scores 3 with three challenges, the last 1.
    assert results.overall == {a: 2, b: 1, c: 3}


def _reference(ballots, type_of):
    """Per-type sums and shares, computed in Python from the raw ballots."""
    sums = defaultdict(lambda: defaultdict(int))
    for reg_id, values in ballots.items():
        for cid, points in values.items():
            sums[type_of[reg_id]][cid] += points
    shares = {
        t: {cid: v / sum(row.values()) for cid, v in row.items()}
        for t, row in sums.items()
    }
    return sums, shares


def test_results_per_type_match_a_reference(ch_event, make_registration, stype, now):
    a, b, c = _ids(ch_event)
    plan = [
        ("government", {a: 6, b: 4, c: 0}),
        ("government", {a: 4, b: 4, c: 2}),
        ("private", {a: 0, b: 2, c: 8}),
        ("informal", {a: 10, b: 0, c: 0}),
        ("informal", {a: 7, b: 0, c: 3}),
        ("research", {a: 3, b: 3, c: 4}),
    ]
    ballots, type_of = {}, {}
    for type_key, values in plan:
        reg = make_registration(ch_event, type_key=type_key)
        save_priorities(reg, values, now=now)
        ballots[reg.id] = values
        type_of[reg.id] = stype(ch_event, type_key).id
    # A cancelled registrant's earlier points no longer count.
    gone = make_registration(ch_event, type_key="private")
    save_priorities(gone, {a: 10}, now=now)
    gone.status = "cancelled"
    db.session.commit()

    results = priority_results(ch_event)
    sums, shares = _reference(ballots, type_of)
    assert results.ballots == 6
    assert results.overall == {
        cid: sum(v[cid] for v in ballots.values()) for cid in (a, b, c)
    }
    rows = {row.type_id: row for row in results.by_type}
    for type_id, row in sums.items():
        assert rows[type_id].scores == dict(row)
        for cid in (a, b, c):
            assert rows[type_id].shares[cid] == pytest.approx(shares[type_id][cid])
    assert rows[stype(ch_event, "civil_society").id].ballots == 0
    for cid in (a, b, c):
        values = [shares[t][cid] for t in shares]
        assert results.spread[cid] == pytest.approx(max(values) - min(values))
    # Challenge a: informal 85% against private 0%: the most disputed.
    assert results.most_disputed[0].id == a


def test_an_archived_challenge_leaves_rankings_renumbered_and_points_stated(
    ch_event, make_registration, organiser, now, open_window
):
    from consult.challenges.services import set_archived

    open_window(ch_event, method="ranking")
    first, second = make_registration(ch_event), make_registration(ch_event)
    a, b, c = _ids(ch_event)
    save_priorities(first, {a: 2, b: 1, c: 3}, now=now)
    save_priorities(second, {a: 3, b: 2, c: 1}, now=now)
    archived = next(ch for ch in event_challenges(ch_event) if ch.id == b)
    set_archived(archived, organiser, True, now=now)
    cancelled = make_registration(ch_event, status="cancelled")
    db.session.add(Priority(event_id=ch_event.id, registration_id=cancelled.id,
                            challenge_id=a, rank=1, updated_at=now))  # fmt: skip
    db.session.commit()
    results = priority_results(ch_event)
    # Two challenges left: places renumbered 1 and 2 score 2 and 1; the
    # cancelled registrant's ballot counts for nothing.
    assert results.overall == {a: 2 + 1, c: 1 + 2}
    assert results.ballots == 2
    assert [(x.title, x.ballots) for x in results.archived] == [(archived.title, 2)]
