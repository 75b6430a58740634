"""A facilitator's registration of a person reports every problem of one
submit: the form's own checks, the channel, the person's details and an email
registered already, together; nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.facilitators.services import register_person
from consult.registration.models import Registration
from consult.registration.services.validation import RegistrationData
from tests.effects import committed
from tests.form_summary import error_text, summary_links

from .test_pages import PERSON


def _count() -> int:
    return committed().scalar(select(func.count(Registration.id)))


def test_the_service_reports_the_channel_the_details_and_a_taken_email(
    ch_event, make_facilitator, make_registration, now
):
    make_registration(ch_event, email="siti@example.org")
    facilitator = make_facilitator(ch_event)
    data = RegistrationData(
        full_name="",
        country="MY",
        timezone="Asia/Kuala_Lumpur",
        email="Siti@example.org",
        type_key="informal",
        consent_privacy=True,
    )
    with pytest.raises(ValidationFailed) as refused:
        register_person(ch_event, facilitator, data, "carrier pigeon", now=now)
    assert [name for name, _m in refused.value.problems] == [
        "channel",
        "full_name",
        "email",
    ]
    assert "registered for this event already" in refused.value.problems[2][1]
    db.session.rollback()
    assert _count() == 1


def test_one_submit_shows_the_form_and_service_problems_together(
    client, login, ch_event, make_facilitator, make_registration
):
    make_registration(ch_event, email="siti@example.org")
    login(make_facilitator(ch_event))
    response = client.post(
        f"/facilitate/{ch_event.slug}/register",
        data={
            **PERSON,
            "channel": "",  # the form's rule
            "full_name": "",  # the form's rule
            "email": "siti@example.org",  # the service's: registered already
            "city": "Petaling Jaya",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose how you reached the person." in error_text(page, "channel")
    assert "This field is required." in error_text(page, "full_name")
    assert "registered for this event already" in error_text(page, "email")
    links = summary_links(page)
    assert {"channel", "full_name", "email"} <= set(links)
    assert 'value="Petaling Jaya"' in page
    assert _count() == 1
