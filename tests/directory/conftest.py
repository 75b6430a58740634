"""Directory tests: an event with two challenges and people in two continents.

``people(n)`` makes confirmed registrations that consent to the listing;
emails need absolute links, so the app has a SERVER_NAME.
"""

import pytest

from consult.challenges.models import Challenge
from consult.extensions import db
from consult.registration.services.tokens import manage_token
from tests.factories import SERVER_NAMED


@pytest.fixture
def app_config():
    return SERVER_NAMED


@pytest.fixture
def dir_event(reg_event):
    for position, (title, category) in enumerate(
        [
            ("Food and organic waste", "food_organic"),
            ("Plastic packaging", "plastics_packaging"),
        ]
    ):
        db.session.add(
            Challenge(
                event_id=reg_event.id,
                position=position,
                title=title,
                category=category,
            )
        )
    db.session.commit()
    return reg_event


@pytest.fixture
def challenges(dir_event):
    return sorted(
        (c for c in db.session.query(Challenge).filter_by(event_id=dir_event.id)),
        key=lambda c: c.position,
    )


@pytest.fixture
def listed(dir_event, make_registration):
    """listed(**fields) -> a confirmed registration in the directory."""

    def _make(**fields):
        fields.setdefault("consent_listing", True)
        registration = make_registration(dir_event, **fields)
        db.session.commit()
        return registration

    return _make


@pytest.fixture
def amina(listed):
    return listed(
        full_name="Amina Rahman",
        email="amina@example.my",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        organisation="PJ Recycles",
    )


@pytest.fixture
def jan(listed):
    return listed(
        full_name="Jan de Vries",
        email="jan@example.nl",
        country="NL",
        timezone="Europe/Amsterdam",
        type_key="private",
    )


def page_of(registration, suffix=""):
    """A directory URL under the person's manage link."""
    base = (
        f"/events/{registration.event.slug}/registration/"
        f"{manage_token(registration)}/directory"
    )
    return base + suffix
