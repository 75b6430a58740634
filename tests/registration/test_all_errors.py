"""The registration form reports every problem of one submit: the form's own
checks and the service's (contact, questions, consent) together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration, RegistrationQuestion
from consult.registration.services import register
from consult.registration.services.validation import RegistrationData
from tests.form_summary import summary_links

from .test_public_pages import form


@pytest.fixture
def level(reg_event):
    question = RegistrationQuestion(
        event_id=reg_event.id,
        label="Level of government",
        kind="choice",
        choices=["National", "State", "Local"],
        required=True,
        type_keys=["government"],
    )
    db.session.add(question)
    db.session.commit()
    return question


def _count() -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def test_the_service_reports_every_problem_at_once(reg_event, level, now):
    data = RegistrationData(
        full_name="",
        country="XX",
        timezone="Asia/Kuala_Lumpur",
        email="",
        phone="",
        type_key="government",
        role="attendee",
        consent_privacy=False,
    )
    with pytest.raises(ValidationFailed) as refused:
        register(reg_event, data, now=now)
    fields = {name for name, _message in refused.value.problems}
    assert fields == {
        "email",
        "country",
        "full_name",
        f"q_{level.id}",
        "consent_privacy",
    }
    assert _count() == 0


def test_one_submit_shows_the_form_and_service_problems_together(
    client, reg_event, level, outbox
):
    response = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(
            full_name="",  # the form's rule
            email="",  # the service's: an email or a mobile number
            phone="",
            consent_privacy="",  # the form's rule
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give an email address or a mobile number (or both)." in page
    assert "Please answer this question." in page  # the service: the question
    links = summary_links(page)
    assert {"full_name", "email", "consent_privacy", f"q_{level.id}-0"} <= set(links)
    assert "problems with this form" in page
    assert _count() == 0 and outbox() == []
