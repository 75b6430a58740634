"""Moving an event emails its registrants, and raising its capacity seats
people from the waiting list: the edit says so in numbers first, changes
nothing until confirmed, and asks again when the numbers changed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.events.models import Event
from consult.events.services import update_event
from consult.events.services.data import EventData
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from consult.registration.services.change_preview import preview_event_change
from consult.registration.services.event_changes import calendar_snapshot
from tests.clock import field, wall
from tests.effects import committed, committed_row
from tests.registration.confirming import CHANGE, confirm_event_edit


def _form(event, **changes):
    return {
        "title": event.title,
        "slug": event.slug,
        "timezone": "Asia/Kuala_Lumpur",
        "start": field(wall(22, 16)),
        "end": field(wall(22, 18)),
        "join_url": event.join_url,
        "capacity": "100",
        **changes,
    }


def _updates():
    return (
        committed()
        .scalars(
            select(OutboundEmail).where(OutboundEmail.template == "calendar_update")
        )
        .all()
    )


def test_a_move_is_confirmed_with_its_numbers_then_saved(
    client, login, organiser, reg_event, make_registration, now
):
    earlier = now - timedelta(days=1)
    for _ in range(3):
        make_registration(reg_event, confirmed_at=earlier)
    start = reg_event.start_at
    url = f"/manage/events/{reg_event.slug}/edit"
    login(organiser)

    shown = client.post(url, data=_form(reg_event))
    page = shown.text
    assert shown.status_code == 200
    assert "This emails 3 people the change" in page
    assert "Save and email 3 people" in page
    assert committed_row(Event, reg_event.id).start_at == start
    assert _updates() == []

    # Someone registers before the organiser confirms: the numbers changed.
    make_registration(reg_event, confirmed_at=earlier)
    stale = CHANGE.search(page).group(1).replace("&#43;", "+")
    again = client.post(url, data={**_form(reg_event), "confirm_change": stale})
    assert "This emails 4 people the change" in again.text
    assert committed_row(Event, reg_event.id).start_at == start

    fresh = CHANGE.search(again.text).group(1).replace("&#43;", "+")
    saved = client.post(url, data={**_form(reg_event), "confirm_change": fresh})
    assert saved.status_code == 302
    assert committed_row(Event, reg_event.id).start_at != start
    assert len(_updates()) == 4


def test_an_edit_that_tells_nobody_saves_at_once(client, login, organiser, reg_event):
    url = f"/manage/events/{reg_event.slug}/edit"
    login(organiser)
    start = reg_event.start_at
    saved = client.post(url, data=_form(reg_event))
    assert saved.status_code == 302
    assert committed_row(Event, reg_event.id).start_at != start


def test_the_cancel_page_counts_the_people_told(
    client, login, organiser, reg_event, make_registration
):
    make_registration(reg_event)
    make_registration(reg_event, status="waitlisted")
    make_registration(reg_event, status="cancelled")
    login(organiser)
    page = client.get(f"/manage/events/{reg_event.slug}/cancel").text
    assert "This emails 2 people that the event is cancelled" in page
    assert committed_row(Event, reg_event.id).status == "published"


def _same_times(event, **changes):
    """The edit form with the event's own times (tests/factories.py)."""
    return _form(event, start=field(wall(21, 16)), end=field(wall(21, 18)), **changes)


def _promoted_mail():
    return (
        committed()
        .scalars(
            select(OutboundEmail).where(
                OutboundEmail.template == "registration_promoted"
            )
        )
        .all()
    )


def test_the_preview_counts_the_seats_a_capacity_raise_gives(
    organiser, make_reg_event, make_registration, now
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    unreachable = make_registration(event, email="", status="waitlisted")
    emailed = make_registration(event, status="waitlisted")
    still = make_registration(event, status="waitlisted")
    before = calendar_snapshot(event)
    data = EventData(
        title=event.title,
        slug=event.slug,
        timezone="Asia/Kuala_Lumpur",
        start=wall(21, 16),
        end=wall(21, 18),
        join_url=event.join_url,
        capacity=3,
    )

    change = preview_event_change(
        event,
        before,
        lambda: update_event(event, organiser, data, now=now),
        now=now,
    )

    assert (change.emailed, change.promoted) == (0, 2)
    assert (change.promoted_emailed, change.promoted_unreachable) == (1, 1)
    assert change.emailed_in_all == 1 and change.needs_confirmation
    # Counted in a savepoint: nothing happened.
    db.session.expire_all()
    assert [r.status for r in (unreachable, emailed, still)] == ["waitlisted"] * 3
    assert db.session.get(Event, event.id).capacity == 1
    assert _promoted_mail() == []


def test_a_capacity_raise_says_whom_it_seats_and_seats_them_when_confirmed(
    client, login, organiser, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    waiting = [make_registration(event, status="waitlisted") for _ in range(3)]
    url = f"/manage/events/{event.slug}/edit"
    login(organiser)

    shown = client.post(url, data=_same_times(event, capacity="3"))
    assert shown.status_code == 200
    assert "The new capacity gives 2 people on the waiting list a seat." in shown.text
    assert "This emails 2 people their seat and calendar invitation." in shown.text
    assert "Save and email 2 people" in shown.text
    assert "This emails 0 people the change" not in shown.text
    assert committed_row(Event, event.id).capacity == 1
    assert _promoted_mail() == []

    saved = confirm_event_edit(client, url, _same_times(event, capacity="3"))
    assert saved.status_code == 302
    assert committed_row(Event, event.id).capacity == 3
    statuses = [committed_row(Registration, r.id).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert sorted(m.registration_id for m in _promoted_mail()) == [
        r.id for r in waiting[:2]
    ]
