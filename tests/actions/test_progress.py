"""Progress updates: dated on the city's calendar, bounded, by editors or the owner."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult.actions.models import ActionUpdate
from consult.actions.services.dates import city_today
from consult.actions.services.progress import (
    OwnerActor,
    UpdateData,
    delete_update,
    edit_update,
    mark_milestone_done,
    post_update,
)
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from tests.actions.conftest import make_plan_world


def _fields(caught) -> set:
    return {field for field, _message in caught.value.problems}


def test_an_update_sets_progress_and_status(world, organiser, now):
    action = world.action
    update = post_update(
        action,
        organiser,
        UpdateData(body="Bins **delivered**.", progress=35, status="in_progress"),
        now=now,
    )
    db.session.commit()
    assert (action.progress, action.status) == (35, "in_progress")
    assert update.posted_on == city_today(world.city, now)
    assert (update.status_before, update.status_after) == ("planned", "in_progress")
    assert update.posted_by_id == organiser.id
    assert update.author_name


def test_the_same_status_is_not_a_change(world, organiser, now):
    with pytest.raises(ValidationFailed) as caught:
        post_update(world.action, organiser, UpdateData(status="planned"), now=now)
    assert _fields(caught) == {"body"}


def test_a_status_alone_is_enough_and_is_recorded(world, organiser, now):
    update = post_update(world.action, organiser, UpdateData(status="delayed"), now=now)
    assert update.body == "" and update.progress is None
    assert update.status_after == "delayed" and world.action.status == "delayed"


@pytest.mark.parametrize(
    "data, fields",
    [
        (UpdateData(), {"body"}),
        (UpdateData(body="x", progress=101), {"progress"}),
        (UpdateData(body="x", progress=-1), {"progress"}),
        (UpdateData(body="x", status="finished"), {"status"}),
        (UpdateData(body="x", link="javascript:alert(1)"), {"link"}),
        (UpdateData(body="x", link="ftp://example.org/a"), {"link"}),
        (UpdateData(body="x", link="https://"), {"link"}),
        (UpdateData(body="x" * 10001), {"body"}),
        (UpdateData(body="a\x00b"), {"body"}),
        (
            UpdateData(body="x", progress=200, link="data:x", status="x"),
            {"progress", "link", "status"},
        ),
    ],
)
def test_bad_updates_are_refused_with_every_problem(
    world, organiser, now, data, fields
):
    with pytest.raises(ValidationFailed) as caught:
        post_update(world.action, organiser, data, now=now)
    assert _fields(caught) == fields
    db.session.rollback()
    assert db.session.query(ActionUpdate).count() == 0
    assert world.action.progress == 0


def test_dates_are_bounded(world, organiser, now):
    today = city_today(world.city, now)
    action = world.action
    for bad in (
        today + timedelta(days=1),
        today - timedelta(days=7 + 367),
        date(1999, 12, 31),
        date(9999, 1, 1),
    ):
        with pytest.raises(ValidationFailed) as caught:
            post_update(action, organiser, UpdateData(posted_on=bad, body="x"), now=now)
        assert _fields(caught) == {"posted_on"}, bad
    # A year before the action was recorded (a week ago) is still fine.
    early = today - timedelta(days=7 + 366)
    update = post_update(
        action, organiser, UpdateData(posted_on=early, body="x"), now=now
    )
    assert update.posted_on == early


def test_today_is_the_city_date(world, organiser, now):
    # 16:30 UTC is already tomorrow in Kuala Lumpur: that date is allowed.
    late = now.replace(hour=16, minute=30)
    tomorrow_utc = late.date() + timedelta(days=1)
    update = post_update(
        world.action, organiser, UpdateData(posted_on=tomorrow_utc, body="x"), now=late
    )
    assert update.posted_on == tomorrow_utc


def test_the_owner_posts_through_their_link_only_on_their_action(
    owned, make_reg_event, organiser, now
):
    owner = OwnerActor(owned.action)
    update = post_update(owned.action, owner, UpdateData(progress=10), now=now)
    assert update.author_name == "Siti Aminah" and update.posted_by_id is None
    other = make_plan_world(
        make_reg_event(title="Another"), now, city_name="Subang Jaya"
    ).action
    with pytest.raises(PermissionDenied):
        post_update(other, owner, UpdateData(body="x"), now=now)


def test_other_organisers_cannot_post(world, other_organiser, now):
    with pytest.raises(PermissionDenied):
        post_update(world.action, other_organiser, UpdateData(body="x"), now=now)


def test_editors_correct_and_delete_updates_the_owner_cannot(owned, organiser, now):
    action = owned.action
    update = post_update(
        action, OwnerActor(action), UpdateData(body="Tpyo", progress=40), now=now
    )
    today = city_today(owned.city, now)
    with pytest.raises(PermissionDenied):
        edit_update(
            update, OwnerActor(action), posted_on=today, body="x", link="", now=now
        )
    with pytest.raises(ValidationFailed) as caught:
        edit_update(
            update,
            organiser,
            posted_on=today + timedelta(days=1),
            body="x",
            link="mailto:a@b",
            now=now,
        )
    assert _fields(caught) == {"posted_on", "link"}
    edit_update(
        update,
        organiser,
        posted_on=today,
        body="Typo",
        link="https://example.org/r",
        now=now,
    )
    assert (update.body, update.link, update.progress) == (
        "Typo",
        "https://example.org/r",
        40,
    )
    with pytest.raises(PermissionDenied):
        delete_update(update, OwnerActor(action))
    delete_update(update, organiser)
    db.session.commit()
    assert db.session.query(ActionUpdate).count() == 0
    assert action.progress == 40  # what it changed stays


def test_a_milestone_is_done_on_the_city_date(owned, now):
    late = now.replace(hour=16, minute=30)  # tomorrow in Kuala Lumpur
    mark_milestone_done(owned.milestone, OwnerActor(owned.action), now=late)
    assert owned.milestone.done_on == late.date() + timedelta(days=1)
    assert not owned.milestone.is_overdue(owned.milestone.due_on + timedelta(days=5))
