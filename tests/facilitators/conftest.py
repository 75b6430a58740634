"""Fixtures for the facilitator tests: an event with challenges, an open
window, and facilitators invited through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.challenges.services import (
    ChallengeData,
    WindowData,
    add_challenge,
    update_window,
)
from consult.extensions import db
from consult.facilitators.services import invite_facilitator
from tests.factories import SERVER_NAMED

CHALLENGES = (
    ("Food and organic waste", "food_organic"),
    ("Plastic pollution and packaging", "plastics_packaging"),
    ("Household e-waste", "e_waste"),
)


@pytest.fixture
def app_config():
    """Emails built outside a request carry absolute links."""
    return SERVER_NAMED


@pytest.fixture
def ch_event(reg_event, organiser, now):
    """The published ``reg_event`` with three challenges and an open window."""
    for title, category in CHALLENGES:
        add_challenge(
            reg_event,
            organiser,
            ChallengeData(title, f"About {title}.", category, "Petaling Jaya"),
            now=now,
        )
    update_window(
        reg_event,
        organiser,
        WindowData(
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
            priority_method="points",
        ),
        now=now,
    )
    db.session.commit()
    return reg_event


@pytest.fixture
def make_facilitator(organiser, now):
    """make_facilitator(event, email) -> the committed facilitator account."""

    def _make(event, email="field@example.org", name="Field Worker"):
        invitation = invite_facilitator(event, organiser, email, name, now=now)
        db.session.commit()
        return invitation.link.user

    return _make


# The surveys' fixtures: ``make_survey(event, kinds=..., **settings)`` and the
# answers that fill every question (``full_answers``).
from tests.surveys.conftest import full_answers, make_survey  # noqa: E402, F401
