"""The event form reports every problem of one submit: the form's own checks,
the service's rules between fields, and the seats already taken, together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.events.models import Event
from consult.events.services import create_event, update_event
from consult.extensions import db
from tests.clock import field, wall
from tests.form_summary import error_text, summary_links

from .test_manage_pages import FORM

# In the order of the page.
BAD_FIELDS = ("title", "end", "join_url", "capacity", "registration_closes")


def _event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


def test_the_service_reports_every_rule_at_once(organiser, event_data, now):
    data = event_data(
        start=wall(21, 18),
        end=wall(21, 16),
        capacity=-1,
        join_url="zoom.example.org/j/1",
        slides_url="ftp://files.example.org/slides",
        registration_opens=wall(22, 9),
        registration_closes=wall(21, 10),
    )
    with pytest.raises(ValidationFailed) as refused:
        create_event(organiser, data, now=now)
    fields = [name for name, _message in refused.value.problems]
    assert fields == [
        "end",
        "registration_closes",
        "registration_opens",
        "capacity",
        "join_url",
        "slides_url",
    ]
    assert _event_count() == 0


def test_an_edit_reports_the_seats_taken_with_the_other_problems(
    organiser, make_event, event_data, make_registration, now
):
    event = make_event(organiser, publish=True, capacity=10)
    for n in range(3):
        make_registration(event, email=f"p{n}@example.org")
    db.session.commit()
    data = event_data(capacity=2, start=wall(21, 18), end=wall(21, 17))
    with pytest.raises(ValidationFailed) as refused:
        update_event(event, organiser, data, now=now)
    messages = dict(refused.value.problems)
    assert "The end must be after the start." in messages["end"]
    assert "3 people are confirmed" in messages["capacity"]
    db.session.rollback()
    assert db.session.get(Event, event.id).capacity == 10


def test_one_submit_shows_the_form_and_service_problems_together(
    client, login, organiser
):
    login(organiser)
    form = {
        **FORM,
        "title": "",  # the form's rule
        "start": field(wall(21, 18)),
        "end": field(wall(21, 16)),  # the service's rule: end before start
        "capacity": "-5",  # the form's number range
        "join_url": "not a web address",  # the service's URL rule
        "registration_closes": field(wall(22, 9)),  # after the event
    }
    response = client.post("/manage/events/new", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in error_text(html, "title")
    assert "The end must be after the start." in error_text(html, "end")
    assert "Enter a whole number from 0" in error_text(html, "capacity")
    assert "https://" in error_text(html, "join_url")
    assert "no later than the end of the event" in error_text(
        html, "registration_closes"
    )
    assert "There are 5 problems with this form" in html
    assert summary_links(html) == list(BAD_FIELDS)
    assert 'aria-describedby="end-error"' in html
    assert _event_count() == 0


def test_an_edit_shows_the_seats_rule_beside_the_form_rules(
    client, login, organiser, make_event, make_registration, now
):
    event = make_event(organiser, publish=True, capacity=10)
    for n in range(2):
        make_registration(event, email=f"p{n}@example.org")
    db.session.commit()
    login(organiser)
    form = {**FORM, "title": "", "capacity": "1", "end": field(wall(21, 15))}
    response = client.post(f"/manage/events/{event.slug}/edit", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "2 people are confirmed" in error_text(html, "capacity")
    assert "The end must be after the start." in error_text(html, "end")
    assert summary_links(html) == ["title", "end", "capacity"]
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.title, stored.capacity) == (
        "Designing Circular Cities in Malaysia",
        10,
    )


def test_a_session_reports_every_problem_at_once(client, login, organiser, make_event):
    event = make_event(organiser)
    login(organiser)
    response = client.post(
        f"/manage/events/{event.slug}/agenda/new",
        data={
            "title": "",  # the form's rule
            "start": field(wall(21, 15)),  # the service's: before the event
            "end": field(wall(21, 14)),  # the service's: before the start
            "speakers-0-name": "",
            "speakers-0-affiliation": "PJ City Council",  # a speaker needs a name
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The session must start within the event" in error_text(html, "start")
    assert "The end must be after the start." in error_text(html, "end")
    assert "Every speaker needs a name." in html
    links = summary_links(html)
    assert links[:3] == ["title", "start", "end"]
    assert "speakers-0-name" in links
    db.session.expire_all()
    assert db.session.get(Event, event.id).sessions == []
