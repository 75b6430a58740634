"""Fixtures for the registration tests: an open event with default types, registrants.

Reusable by every registration test module:
- ``reg_event``: published event (capacity 100, waiting list on, registration
  open at ``now``) with the five default stakeholder types;
- ``make_reg_event(owner=None, **overrides)``: the same with other settings;
- ``make_registration(event, email=..., type_key="government", status="confirmed",
  **fields)``: a committed Registration placed through the seat API;
- ``stype(event, key)``: one of the event's stakeholder types.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.events.services import EventData, create_event, publish_event
from consult.extensions import db
from consult.registration.models import Registration, StakeholderType
from consult.registration.services import (
    add_to_waitlist,
    ensure_stakeholder_types,
    lock_event,
    new_nonce,
    take_seat,
)
from tests.clock import wall
from tests.conftest import _empty_all_tables, make_app


@pytest.fixture
def app(database_url, tmp_path):
    """The shared ``app`` with a SERVER_NAME: emails carry absolute manage links,
    built outside requests too (jobs, concurrency threads)."""
    app = make_app(database_url, tmp_path / "instance", SERVER_NAME="consult.test")
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def make_reg_event(app, organiser, now):
    """make_reg_event(owner=None, publish=True, **event_fields) -> committed Event."""

    def _make(
        owner=None, *, publish: bool = True, title="Designing Circular Cities", **fields
    ):
        data = EventData(
            title=title,
            timezone="Asia/Kuala_Lumpur",
            start=wall(21, 16),
            end=wall(21, 18),
            join_url="https://zoom.example.org/j/987654321",
            capacity=fields.pop("capacity", 100),
        )
        event = create_event(owner or organiser, data, now=now - timedelta(days=1))
        if publish:
            publish_event(event, owner or organiser, now=now - timedelta(days=1))
        for name, value in fields.items():
            setattr(event, name, value)
        ensure_stakeholder_types(event)
        db.session.commit()
        return event

    return _make


@pytest.fixture
def reg_event(make_reg_event):
    return make_reg_event()


@pytest.fixture
def stype():
    def _stype(event, key: str) -> StakeholderType:
        return db.session.scalar(
            select(StakeholderType).where(
                StakeholderType.event_id == event.id, StakeholderType.key == key
            )
        )

    return _stype


@pytest.fixture
def make_registration(stype, now):
    """make_registration(event, email=None, type_key='government', status='confirmed',
    **fields) -> committed Registration (seat counted, waiting list positioned)."""
    counter = iter(range(1, 100000))

    def _make(
        event, email=None, *, type_key="government", status="confirmed", **fields
    ):
        n = next(counter)
        values = dict(
            event_id=event.id,
            stakeholder_type_id=stype(event, type_key).id,
            full_name=f"Person {n}",
            email=email if email is not None else f"person{n}@example.org",
            country="MY",
            timezone="Europe/Brussels",
            privacy_notice_version=event.privacy_notice_version,
            privacy_consented_at=now,
            manage_nonce=new_nonce(),
            created_at=now,
            updated_at=now,
            status="pending",
        )
        confirmed_at = fields.pop("confirmed_at", now)
        values.update(fields)
        registration = Registration(**values)
        db.session.add(registration)
        db.session.flush()
        lock_event(event.id)
        if status == "confirmed":
            take_seat(registration, now=confirmed_at, override_cap=True)
        elif status == "waitlisted":
            add_to_waitlist(registration)
        else:
            registration.status = status
        db.session.commit()
        return registration

    return _make
