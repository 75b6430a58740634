"""Fixtures for the challenges tests: an event with challenges and an open window.

- ``ch_event``: the shared ``reg_event``: a published event (Asia/Kuala_Lumpur,
  five default stakeholder types) with three challenges and a submission window
  open from a day before ``now`` to ten days after;
- ``challenges_of(event)``: its active challenges in order;
- ``author(registration)`` / ``expert_author(expert)``: service-level authors;
- ``make_input(event, registration=None, expert=None, state='submitted', **fields)``;
- ``make_expert(event, status='approved', email=...)``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from consult.challenges.models import Expert
from consult.challenges.services import (
    Author,
    ChallengeData,
    InputData,
    WindowData,
    add_challenge,
    event_challenges,
    hide_input,
    publish_input,
    submit_input,
    update_window,
)
from consult.extensions import db
from consult.registration.services import manage_token
from tests.factories import SERVER_NAMED

CHALLENGES = (
    ("Food and organic waste", "food_organic"),
    ("Plastic pollution and packaging", "plastics_packaging"),
    ("Household e-waste", "e_waste"),
)


@pytest.fixture
def open_window(now, organiser):
    def _open(event, *, method="points", opens=None, closes=None):
        update_window(
            event,
            organiser,
            WindowData(
                opens_at=opens or now - timedelta(days=1),
                closes_at=closes or now + timedelta(days=10),
                priority_method=method,
            ),
            now=now,
        )
        db.session.commit()

    return _open


@pytest.fixture
def ch_event(reg_event, organiser, now, open_window):
    for title, category in CHALLENGES:
        add_challenge(
            reg_event,
            organiser,
            ChallengeData(title, f"About {title}.", category, "Petaling Jaya"),
            now=now,
        )
    db.session.commit()
    open_window(reg_event)
    return reg_event


@pytest.fixture
def challenges_of():
    return event_challenges


@pytest.fixture
def author():
    return lambda registration: Author(registration=registration)


@pytest.fixture
def token():
    return manage_token


@pytest.fixture
def make_expert(now):
    counter = iter(range(1, 10000))

    def _make(event, *, status="approved", email=None, name=None):
        n = next(counter)
        expert = Expert(
            event_id=event.id,
            email=email or f"expert{n}@example.eu",
            name=name or f"Expert {n}",
            organisation="Circular Economy Club",
            status=status,
            nonce=secrets.token_urlsafe(24),
            invited_at=now,
        )
        db.session.add(expert)
        db.session.commit()
        return expert

    return _make


@pytest.fixture
def make_input(now, organiser):
    def _make(event, registration=None, expert=None, *, state="submitted", **fields):
        values = {"kind": "problem_insight", "title": "No separate collection"}
        values.setdefault("body", "Households mix food waste with the rest.")
        values.update(fields)
        item = submit_input(
            event,
            Author(registration=registration, expert=expert),
            InputData(**values),
            now=now,
        )
        if state == "published":
            publish_input(item, organiser, now=now)
        elif state == "hidden":
            hide_input(item, organiser, "Off topic", now=now)
        db.session.commit()
        return item

    return _make


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
