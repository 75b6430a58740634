"""Moving an event emails its registrants: the edit says so in numbers first,
changes nothing until confirmed, and asks again when the numbers changed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.events.models import Event
from consult.notifications.models import OutboundEmail
from tests.clock import field, wall
from tests.effects import committed, committed_row
from tests.registration.confirming import CHANGE


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
