"""Fixtures for the library tests: events, challenges, inputs and resources.

- ``lib_event``: a published event owned by ``organiser`` (the shared
  ``reg_event`` of tests/conftest.py);
- ``make_challenge(event, category=..., title=...)``;
- ``make_input(event, **fields)``: a committed best-practice Input (published by
  default) by a new registrant, copied to the library with sync_input_entry;
- ``make_resource(event, actor, **fields)``: a committed resource.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.challenges.models import Challenge, Input
from consult.extensions import db
from consult.library.services import ResourceData, create_resource, sync_input_entry
from tests.factories import SERVER_NAMED


@pytest.fixture
def lib_event(reg_event):
    return reg_event


@pytest.fixture
def make_challenge(now):
    counter = iter(range(1, 10000))

    def _make(event, *, category="plastics_packaging", title=None, **fields):
        n = next(counter)
        challenge = Challenge(
            event_id=event.id,
            position=n,
            title=title or f"Challenge {n}",
            description=fields.pop("description", "What the city faces."),
            category=category,
            city=fields.pop("city", "Petaling Jaya"),
            created_at=now,
            updated_at=now,
            **fields,
        )
        db.session.add(challenge)
        db.session.commit()
        return challenge

    return _make


@pytest.fixture
def make_input(make_registration, now):
    def _make(event, *, registration=None, **fields):
        registration = registration or make_registration(
            event, full_name=fields.pop("author", "Aisha Tan"),
            organisation=fields.pop("author_organisation", "Green PJ Society"),
        )  # fmt: skip
        values = dict(
            event_id=event.id,
            registration_id=registration.id,
            kind="best_practice",
            state="published",
            title="Deposit return for drinks bottles",
            body="Shops take back **plastic** bottles for a refund.",
            city="Utrecht",
            country="NL",
            organisation="Municipality of Utrecht",
            period="2019–2023",
            results="Return rate above 90%.",
            links="https://example.org/deposit",
            category="plastics_packaging",
            created_at=now - timedelta(days=2),
            updated_at=now - timedelta(days=2),
        )
        values.update(fields)
        if values["state"] == "published" and "published_at" not in fields:
            values["published_at"] = now - timedelta(days=1)
        item = Input(**values)
        db.session.add(item)
        db.session.flush()
        sync_input_entry(item)
        db.session.commit()
        return item

    return _make


@pytest.fixture
def make_resource(organiser, now):
    def _make(event, actor=None, *, when=None, **fields):
        values = dict(
            title="Circular Economy Action Plan",
            summary="The EU's plan for a cleaner and more competitive Europe.",
            link="https://environment.ec.europa.eu/strategy/circular-economy-action-plan_en",
            city="Brussels",
            country="BE",
            category="other",
            event_id=event.id,
        )
        values.update(fields)
        entry = create_resource(
            actor or organiser, ResourceData(**values), now=when or now
        )
        db.session.commit()
        return entry

    return _make


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED
