"""Dates organisers enter are bounded: from 2000 to 20 years ahead of the clock.

An event stored in 9999 broke its calendar file, its reminder plan,
registration and the reminder job; year 1 broke the edit form. Years 9999, 1
and 1999 are the edges under test, not dates that assume today; the upper
bound is derived from the test clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services import clone_event, create_event, update_event
from consult.extensions import db
from consult.timeutil import date_in_range, date_range_message, instant_in_range
from tests.clock import FIXED_NOW, field, wall
from tests.events.test_manage_pages import FORM, _error_for

LAST_YEAR = FIXED_NOW.year + 20
MESSAGE = f"Enter a date between 2000 and {LAST_YEAR}."

TOO_LATE = datetime(LAST_YEAR + 1, 1, 1, 9, 0)
FAR = datetime(9999, 12, 31, 16, 0)
TOO_EARLY = datetime(1999, 12, 31, 16, 0)
YEAR_ONE = datetime(1, 1, 1, 9, 0)


def test_the_range_runs_from_2000_to_twenty_years_ahead(now):
    assert date_range_message(now) == MESSAGE
    assert date_in_range(datetime(2000, 1, 1, 0, 0))
    assert date_in_range(datetime(LAST_YEAR, 12, 31, 23, 59))
    for value in (TOO_LATE, FAR, TOO_EARLY, YEAR_ONE):
        assert not date_in_range(value)
    # A stored instant may be a day off the years (the zone's offset).
    assert instant_in_range(datetime(LAST_YEAR + 1, 1, 1, 5, tzinfo=UTC))
    assert not instant_in_range(datetime(9999, 12, 31, tzinfo=UTC))


@pytest.mark.parametrize("value", [FAR, TOO_LATE, TOO_EARLY, YEAR_ONE])
@pytest.mark.parametrize("name", ["start", "end"])
def test_the_service_refuses_a_date_out_of_range(
    organiser, event_data, now, name, value
):
    with pytest.raises(ValidationFailed) as refused:
        create_event(organiser, event_data(**{name: value}), now=now)
    assert refused.value.field == name
    assert refused.value.message == MESSAGE
    assert db.session.scalars(select(Event)).all() == []


def test_the_service_accepts_the_last_day_of_the_range(organiser, event_data, now):
    last = datetime(LAST_YEAR, 12, 31, 16, 0)
    event = create_event(
        organiser,
        event_data(
            timezone="America/Los_Angeles", start=last, end=last.replace(hour=18)
        ),
        now=now,
    )
    db.session.commit()
    assert event.start_at.year == LAST_YEAR + 1  # in UTC already the next year
    assert event.dates_in_range


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (datetime(9999, 12, 31, 16, 0), False),
        (TOO_EARLY, False),
        (TOO_LATE, False),
        (wall(40, 16), True),
    ],
)
def test_the_event_form_bounds_the_start(
    client, login, organiser, make_event, value, accepted
):
    event = make_event(organiser)
    before = event.start_at
    login(organiser)
    end = value.replace(hour=18)
    response = client.post(
        f"/manage/events/{event.slug}/edit",
        data={**FORM, "start": field(value), "end": field(end)},
    )
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    if accepted:
        assert response.status_code == 302
        assert stored.start_at.astimezone(UTC).date() == value.date()
        return
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert MESSAGE in _error_for(html, "start")
    assert stored.start_at == before  # nothing changed


def test_the_date_inputs_carry_the_range_for_browsers(client, login, organiser):
    login(organiser)
    html = client.get("/manage/events/new").get_data(as_text=True)
    assert f'max="{LAST_YEAR}-12-31T23:59"' in html
    assert 'min="2000-01-01T00:00"' in html


def _store(event, **times):
    """Simulate a row saved before dates were bounded."""
    db.session.execute(update(Event).where(Event.id == event.id).values(**times))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize(
    ("start", "shown"),
    [
        (datetime(1, 1, 1, 2, tzinfo=UTC), "0001-01-01T02:00"),
        (datetime(9999, 12, 31, 22, tzinfo=UTC), "9999-12-31T22:00"),
    ],
)
def test_the_edit_form_opens_for_a_stored_absurd_date_and_refuses_it_on_save(
    client, login, organiser, make_event, start, shown
):
    # West of UTC year 1 cannot convert, east of it 9999 cannot.
    zone = "America/New_York" if start.year == 1 else "Asia/Kuala_Lumpur"
    event = make_event(organiser, timezone=zone)
    _store(event, start_at=start, end_at=start.replace(hour=23))
    login(organiser)
    page = client.get(f"/manage/events/{event.slug}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'value="{shown}"' in html

    data = {**FORM, "timezone": zone, "start": shown, "end": shown[:-5] + "23:00"}
    response = client.post(f"/manage/events/{event.slug}/edit", data=data)
    assert response.status_code == 422
    assert MESSAGE in _error_for(response.get_data(as_text=True), "start")
    db.session.expire_all()
    assert db.session.get(Event, event.id).start_at == start


def test_correcting_a_stored_absurd_date_keeps_the_sessions(
    organiser, make_event, event_data, session_data, now
):
    from consult.events.services import add_session

    event = make_event(organiser)
    session = add_session(event, organiser, session_data(), now=now)
    db.session.commit()
    session_start = session.start_at
    _store(event, end_at=datetime(9999, 12, 31, 22, tzinfo=UTC))
    event = db.session.get(Event, event.id)
    assert not event.dates_in_range
    update_event(event, organiser, event_data(), now=now)
    db.session.commit()
    assert event.dates_in_range
    assert event.sessions[0].start_at == session_start


def test_cloning_an_event_with_a_stored_absurd_date_is_refused(
    organiser, make_event, now
):
    event = make_event(organiser)
    _store(event, end_at=datetime(9999, 12, 31, 22, tzinfo=UTC))
    with pytest.raises(ValidationFailed, match="out of range"):
        clone_event(db.session.get(Event, event.id), organiser, now=now)


def test_the_agenda_pages_open_for_a_stored_absurd_date(
    client, login, organiser, make_event
):
    event = make_event(organiser)  # Kuala Lumpur: 9999-12-31 23:30 UTC overflows
    _store(
        event,
        start_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
        end_at=datetime(9999, 12, 31, 23, 50, tzinfo=UTC),
    )
    login(organiser)
    assert client.get(f"/manage/events/{event.slug}/agenda").status_code == 200
    assert client.get(f"/manage/events/{event.slug}/agenda/new").status_code == 200
