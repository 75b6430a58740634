"""An event stored with an absurd date (saved before dates were bounded): its
calendar files are not served, registration stays closed and stores nothing,
a personal feed leaves it out; nothing answers 500."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from consult.calendar.feeds import feed_token
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import manage_token
from tests.registration.test_public_pages import form

ABSURD = {
    "9999": {"end_at": datetime(9999, 12, 31, 22, tzinfo=UTC)},
    "year 1": {"start_at": datetime(1, 1, 1, 2, tzinfo=UTC)},
}


def _store(event, **times):
    db.session.execute(update(Event).where(Event.id == event.id).values(**times))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("times", ABSURD.values(), ids=ABSURD.keys())
def test_calendar_files_of_a_bad_event_are_not_served(
    client, make_reg_event, make_registration, times
):
    event = make_reg_event()
    person = make_registration(event, "siti@example.my")
    url = f"/events/{event.slug}/registration/{manage_token(person)}/invite.ics"
    assert client.get(url).status_code == 200  # before: a file
    _store(event, **times)
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
    assert client.get(url).status_code == 404


def test_the_feed_leaves_a_bad_event_out_and_keeps_the_others(
    client, make_reg_event, make_registration
):
    good = make_reg_event(title="Good consultation")
    bad = make_reg_event(title="Stored in 9999")
    mine = make_registration(good, "siti@example.my")
    make_registration(bad, "siti@example.my")
    _store(bad, **ABSURD["9999"])
    response = client.get(f"/calendar/feed/{feed_token(mine)}.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Good consultation" in body and "Stored in 9999" not in body


@pytest.mark.parametrize("times", ABSURD.values(), ids=ABSURD.keys())
def test_registration_for_a_bad_event_is_closed_and_stores_nothing(
    client, make_reg_event, outbox, times
):
    event = make_reg_event()
    _store(event, **times)
    page = client.get(f"/events/{event.slug}/register")
    assert page.status_code == 200
    response = client.post(f"/events/{event.slug}/register", data=form())
    assert response.status_code == 409
    assert "not open" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert outbox() == []
