"""The thank-you page from a per-process frame (routes/thanks_frame.py): the
same bytes as a fresh render, for every outcome, with each person's own values.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.routes import thanks_frame
from consult.registration.routes.thanks_frame import render_thanks_page
from consult.registration.services import register
from consult.registration.services.result import RegistrationResult
from consult.registration.services.thanks import thanks_page
from consult.timeutil import now_utc
from tests.registration.test_kept_form_data import _data
from tests.registration.test_public_pages import form

pytestmark = pytest.mark.usefixtures("frames_on")


@pytest.fixture
def frames_on(app):
    app.config["PAGE_CACHE_SECONDS"] = 30


def _same_as_fresh(app, event, result) -> str:
    """The framed page, checked against a fresh render in the same request."""
    with app.test_request_context(f"/events/{event.slug}/register", method="POST"):
        page = thanks_page(event, result, now=now_utc())
        fresh = thanks_frame._render(event, result, page)
        framed = render_thanks_page(event, result, page)
        assert framed == fresh
        return framed


def _frames(app) -> int:
    store = app.extensions.get(thanks_frame._EXTENSION)
    return 0 if store is None else len(store)


def _registered(event, n, now, **changes) -> RegistrationResult:
    result = register(event, _data(n, **changes), now=now)
    db.session.commit()
    return result


def test_every_outcome_renders_the_same_bytes_as_a_fresh_page(
    app, make_reg_event, stype, now
):
    event = make_reg_event(capacity=4)
    stype(event, "research").cap = 1
    db.session.commit()
    pages = [
        _same_as_fresh(app, event, _registered(event, 1, now)),  # a seat
        _same_as_fresh(app, event, _registered(event, 2, now, timezone="Asia/Seoul")),
        _same_as_fresh(app, event, _registered(event, 3, now, type_key="research")),
        # Research is full: waiting for the group, with the group named.
        _same_as_fresh(app, event, _registered(event, 4, now, type_key="research")),
        _same_as_fresh(app, event, _registered(event, 5, now)),  # the last seat
        _same_as_fresh(app, event, _registered(event, 6, now)),  # event full
        _same_as_fresh(app, event, _registered(event, 7, now)),
        _same_as_fresh(app, event, _registered(event, 1, now)),  # already there
    ]
    assert "Your seat is confirmed." in pages[0]
    assert "Your time (Asia/Seoul)" in pages[1]
    assert "(Research" in pages[3] and "position 1" in pages[3]
    assert "The event is full" in pages[5] and "position 2" in pages[5]
    assert "position 3" in pages[6] and "kept7@example.org" in pages[6]
    assert "already registered" in pages[7]
    # One frame per distinct outcome, reused by the people who share one.
    assert 0 < _frames(app) < len(pages)


def test_a_frame_carries_nobody_elses_values(app, make_reg_event, now):
    event = make_reg_event(capacity=1)
    first = _same_as_fresh(app, event, _registered(event, 1, now))
    kept = _frames(app)
    second = _same_as_fresh(app, event, _registered(event, 2, now))
    third = _same_as_fresh(
        app, event, _registered(event, 3, now, email="o'hara@example.org")
    )
    assert "kept1@example.org" in first
    assert "kept1@example.org" not in second and "kept2@example.org" in second
    assert "position 1" in second and "position 2" in third
    assert "o&#39;hara@example.org" in third and "kept2" not in third
    # Waiting-list people share one frame: the seat's and the list's.
    assert _frames(app) == kept + 1
    assert thanks_frame._MARK not in first + second + third
    assert str(thanks_frame._POSITION) not in second + third


def test_an_edit_of_the_event_makes_a_new_frame(app, make_reg_event, now):
    event = make_reg_event(title="Before the edit")
    before = _same_as_fresh(app, event, _registered(event, 1, now))
    event.title = "After the edit"
    event.registration_version += 1
    db.session.commit()
    after = _same_as_fresh(app, event, _registered(event, 2, now))
    assert "Before the edit" in before and "After the edit" in after
    assert _frames(app) == 2


def test_through_the_form_each_page_links_to_its_own_registration(
    client, make_reg_event
):
    event = make_reg_event(capacity=1)
    pages = {}
    for name in ("ana", "budi", "chen"):
        response = client.post(
            f"/events/{event.slug}/register",
            data=form(email=f"{name}@example.org", full_name=name.title()),
        )
        assert response.status_code == 200
        pages[name] = response.get_data(as_text=True)
    assert "Your seat is confirmed." in pages["ana"]
    assert "position 1" in pages["budi"] and "position 2" in pages["chen"]
    for name, page in pages.items():
        assert f"We have emailed it to {name}@example.org." in page
        [link] = re.findall(r'action="(/events/[^"]*/registered/[^"/]*)/resend"', page)
        again = client.get(link).get_data(as_text=True)
        assert f"{name}@example.org" in again
        others = {other for other in pages if other != name}
        assert not any(f"{other}@example.org" in again for other in others)
    stored = db.session.scalars(select(Registration.email)).all()
    assert sorted(stored) == ["ana@example.org", "budi@example.org", "chen@example.org"]


def test_a_logged_in_visitor_gets_a_fresh_page(
    app, client, login, organiser, reg_event
):
    login(organiser)
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(email="helper@example.org")
    )
    assert response.status_code == 200
    assert "Log out" in response.get_data(as_text=True)
    assert _frames(app) == 0
