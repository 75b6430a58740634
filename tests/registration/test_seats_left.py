"""Seats left before anyone submits (issue 21, item 4): the event page and the form.

The service reads the committed counters; the pages show the seats left
overall, "waiting list only" or "fully booked", and each capped group's
places, so a visitor learns that a group is full before submitting.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import cancel_registration, stakeholder_types
from consult.registration.services.availability import availability
from tests.clock import field, wall


def _seats(event):
    return availability(event.id, stakeholder_types(event))


def test_no_capacity_means_no_limit(make_reg_event, make_registration):
    event = make_reg_event(capacity=None)
    make_registration(event)
    seats = _seats(event)
    assert not seats.limited and seats.left is None and seats.state == "open"


def test_seats_left_then_waiting_list_then_full(make_reg_event, make_registration):
    event = make_reg_event(capacity=2)
    make_registration(event)
    seats = _seats(event)
    assert (seats.left, seats.state, seats.confirmed) == (1, "open", 1)

    make_registration(event)
    make_registration(event, status="waitlisted")
    seats = _seats(event)
    assert (seats.left, seats.state, seats.waiting) == (0, "waiting_list", 1)

    closed = make_reg_event(capacity=1, waitlist_enabled=False)
    make_registration(closed)
    assert _seats(closed).state == "full"


def test_a_free_seat_is_owed_to_those_waiting(make_reg_event, make_registration, now):
    event = make_reg_event(capacity=2)
    seated = make_registration(event)
    make_registration(event)
    make_registration(event, status="waitlisted")
    make_registration(event, status="waitlisted")
    # A seat frees: the first person waiting takes it, one still waits.
    cancel_registration(seated, now=now)
    db.session.commit()
    seats = _seats(event)
    assert (seats.confirmed, seats.waiting, seats.left) == (2, 1, 0)
    assert seats.state == "waiting_list"


def test_a_full_group_waits_while_others_have_places(
    make_reg_event, make_registration, stype
):
    event = make_reg_event(capacity=10)
    stype(event, "private").cap = 1
    stype(event, "research").cap = 3
    db.session.commit()
    make_registration(event, type_key="private")
    make_registration(event, type_key="research")
    seats = _seats(event)
    assert set(seats.groups) == {"private", "research"}
    assert seats.group_state("private") == "waiting_list"
    assert seats.group_left("research") == 2
    # A group without a cap has what the event has.
    assert seats.group_state("government") == "open"
    assert seats.group_left("government") == 8


def _type_id(slug: str, key: str) -> int:
    return db.session.scalar(
        select(StakeholderType.id)
        .join(StakeholderType.event)
        .where(StakeholderType.key == key)
        .where(StakeholderType.event.has(slug=slug))
    )


def _person(n: int, type_key: str) -> dict:
    return {"full_name": f"Seat Seeker {n}", "email": f"seeker{n}@example.org",
            "country": "MY", "timezone": "Asia/Kuala_Lumpur", "type_key": type_key,
            "role": "attendee", "consent_privacy": "y"}  # fmt: skip


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_visitors_see_the_seats_left_from_pages_only(app, client, organiser, login):
    """An organiser makes an event of 3 seats with 1 place for the private
    sector; visitors register through the form and watch the seats go."""
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Circular Petaling Jaya", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "3"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    private = _type_id(slug, "private")
    saved = client.post(
        f"/manage/events/{slug}/registration-settings/types/{private}",
        data={"label": "Private sector", "target_share": "0", "cap": "1"},
    )
    assert saved.status_code == 302
    client.post("/logout")

    visitor = app.test_client()
    page = _text(visitor.get(f"/events/{slug}").get_data(as_text=True))
    assert "3 seats left of 3." in page
    assert "Private sector: 1 place left" in page

    assert (
        visitor.post(f"/events/{slug}/register", data=_person(1, "private")).status_code
        == 200
    )
    form = _text(visitor.get(f"/events/{slug}/register").get_data(as_text=True))
    assert "2 seats left of 3." in form
    assert "Private sector (waiting list only)" in form

    for n, kind in ((2, "research"), (3, "government")):
        visitor.post(f"/events/{slug}/register", data=_person(n, kind))
    # The fourth person, warned, registers anyway and waits.
    visitor.post(f"/events/{slug}/register", data=_person(4, "research"))
    statuses = dict(
        db.session.execute(select(Registration.email, Registration.status)).all()
    )
    assert statuses["seeker4@example.org"] == "waitlisted"
    assert list(statuses.values()).count("confirmed") == 3

    page = _text(app.test_client().get(f"/events/{slug}").get_data(as_text=True))
    assert "Waiting list only." in page and "1 person is waiting." in page
    assert "seats left" not in page
