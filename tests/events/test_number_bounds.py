"""An event's capacity is a whole number from 0 to MAX_SEATS, in the form and
in the service; a bigger one used to reach the INSERT and fail with a 500."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.events.services import update_event
from consult.extensions import db
from consult.numbers import MAX_SEATS
from tests.events.test_manage_pages import FORM, _error_for


@pytest.mark.parametrize("typed", ["99999999999", str(2**63), "1000001", "²"])
def test_edit_with_a_huge_capacity_is_refused_next_to_the_field(
    client, login, organiser, make_event, typed
):
    event = make_event(organiser, capacity=100)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/edit",
        data={**FORM, "title": "Renamed", "capacity": typed},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a whole number from 0 to 1,000,000." in _error_for(html, "capacity")
    assert f'value="{typed}"' in html  # kept for the organiser to correct
    db.session.expire_all()
    assert (event.title, event.capacity) == (
        "Designing Circular Cities in Malaysia",
        100,
    )


def test_edit_with_the_largest_capacity_is_saved(client, login, organiser, make_event):
    event = make_event(organiser, capacity=100)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/edit",
        data={**FORM, "capacity": str(MAX_SEATS)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert event.capacity == MAX_SEATS


def test_the_service_refuses_a_capacity_beyond_the_most_seats(
    organiser, make_event, event_data, now
):
    event = make_event(organiser, capacity=100)
    with pytest.raises(ValidationFailed) as refused:
        update_event(event, organiser, event_data(capacity=MAX_SEATS + 1), now=now)
    assert refused.value.field == "capacity"
    db.session.rollback()
    assert event.capacity == 100
