"""Fixtures for the event tests: input records and ready-made events."""

from __future__ import annotations

import pytest

from consult.events.services import (
    EventData,
    PartnerCityData,
    SessionData,
    SpeakerData,
    add_session,
    create_event,
    publish_event,
)
from consult.extensions import db
from tests.clock import wall


@pytest.fixture
def event_data():
    """event_data(**overrides) -> EventData for 15 Dec 2026, 16:00-18:00 in KL."""

    def _event_data(**overrides) -> EventData:
        values = dict(
            title="Designing Circular Cities in Malaysia",
            timezone="Asia/Kuala_Lumpur",
            start=wall(21, 16),
            end=wall(21, 18),
            summary="A stakeholder consultation on plastics.",
            description="## Why\nPetaling Jaya wants a **unified** approach.",
            host_city="Petaling Jaya",
            host_country="Malaysia",
            partner_cities=[
                PartnerCityData("Brussels", "Belgium"),
                PartnerCityData("Ljubljana", "Slovenia"),
            ],
            topics=["Plastics", "Food waste"],
            join_url="https://zoom.example.org/j/123456",
            capacity=100,
        )
        values.update(overrides)
        return EventData(**values)

    return _event_data


@pytest.fixture
def make_event(event_data, now):
    """make_event(owner, publish=False, **overrides) -> committed Event."""

    def _make_event(owner, *, publish: bool = False, **overrides):
        event = create_event(owner, event_data(**overrides), now=now)
        if publish:
            publish_event(event, owner, now=now)
        db.session.commit()
        return event

    return _make_event


@pytest.fixture
def session_data():
    def _session_data(**overrides) -> SessionData:
        values = dict(
            title="Petaling Jaya's five challenges",
            start=wall(21, 16, 30),
            end=wall(21, 17),
            description="The host city presents its challenges.",
            speakers=[
                SpeakerData(
                    name="Aisha Rahman",
                    affiliation="Petaling Jaya City Council",
                    city="Petaling Jaya",
                    country="Malaysia",
                    bio="Leads the circular economy unit.",
                )
            ],
        )
        values.update(overrides)
        return SessionData(**values)

    return _session_data


@pytest.fixture
def event_with_agenda(make_event, session_data, organiser, now):
    event = make_event(organiser, publish=True)
    add_session(event, organiser, session_data(), now=now)
    db.session.commit()
    return event


@pytest.fixture
def co_organiser(make_user):
    return make_user("co@example.org")
