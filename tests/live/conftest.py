"""Live room tests: an event with challenges, its room open at ``during``.

``people(event, n, type_key)`` makes confirmed registrations; ``enter(client,
registration)`` signs a test client into the room through the manage link.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.challenges.models import Challenge
from consult.extensions import db
from consult.registration.services.tokens import manage_token


@pytest.fixture
def live_event(reg_event):
    for position, title in enumerate(
        ["Food and organic waste", "Plastic pollution", "Household e-waste"]
    ):
        db.session.add(
            Challenge(
                event_id=reg_event.id,
                position=position,
                title=title,
                category="food_organic",
            )
        )
    db.session.commit()
    return reg_event


@pytest.fixture
def during(live_event):
    """An instant while the room is open (the event's start)."""
    return live_event.start_at


@pytest.fixture
def open_now(live_event, now):
    """Move the event so that its room is open on the test clock (for pages)."""
    live_event.start_at = now + timedelta(minutes=10)
    live_event.end_at = now + timedelta(hours=2)
    db.session.commit()
    return live_event


@pytest.fixture
def people(make_registration):
    def _make(event, n, type_key="government", **fields):
        return [make_registration(event, type_key=type_key, **fields) for _ in range(n)]

    return _make


@pytest.fixture
def enter():
    def _enter(client, registration):
        slug = registration.event.slug
        token = manage_token(registration)
        response = client.get(f"/events/{slug}/registration/{token}/live")
        assert response.status_code == 302, response.status_code
        assert response.location.endswith(f"/events/{slug}/live")
        return response

    return _enter
