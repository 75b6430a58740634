"""An organiser's assisted registration reports every problem of one submit:
the form's own checks and the service's (contact, details) together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services import register
from consult.registration.services.validation import RegistrationData, clean_contact
from tests.effects import committed
from tests.form_summary import error_text, summary_links

PERSON = {
    "full_name": "Siti Aminah",
    "phone": "+60 12 345 6789",
    "country": "MY",
    "type_key": "informal",
    "role": "attendee",
    "timezone": "Asia/Kuala_Lumpur",
    "consent_privacy": "y",
}


def _count() -> int:
    return committed().scalar(select(func.count(Registration.id)))


def test_the_contact_reports_the_number_and_the_address_together():
    data = RegistrationData(
        full_name="Siti",
        country="MY",
        phone="12",  # not a number
        email="siti at example",  # not an address
        consent_sms=True,
    )
    with pytest.raises(ValidationFailed) as refused:
        clean_contact(data, assisted=True)
    assert [name for name, _m in refused.value.problems] == ["phone", "email"]


def test_an_assisted_registration_is_refused_with_every_problem(
    reg_event, organiser, now
):
    data = RegistrationData(
        full_name="",
        country="XX",
        timezone="Mars/Olympus",
        phone="",
        email="",
        type_key="nobody",
        consent_privacy=False,
    )
    with pytest.raises(ValidationFailed) as refused:
        register(reg_event, data, now=now, assisted_by=organiser)
    fields = {name for name, _message in refused.value.problems}
    assert fields == {
        "phone",
        "country",
        "timezone",
        "full_name",
        "type_key",
        "consent_privacy",
    }
    db.session.rollback()
    assert _count() == 0


def test_one_submit_shows_the_form_and_service_problems_together(
    client, login, organiser, reg_event, outbox
):
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/registrations/new",
        data={
            **PERSON,
            "full_name": "",  # the form's rule
            "phone": "",  # the service's: an email or a phone number
            "email": "",
            "city": "Petaling Jaya",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in error_text(page, "full_name")
    assert "Give an email address or a mobile number (or both)." in error_text(
        page, "phone"
    )
    assert summary_links(page)[:2] == ["full_name", "phone"]
    assert 'value="Petaling Jaya"' in page  # what was typed is kept
    assert _count() == 0 and outbox() == []


def test_a_bad_number_and_a_bad_address_are_both_reported(
    client, login, organiser, reg_event
):
    login(organiser)
    response = client.post(
        f"/manage/events/{reg_event.slug}/registrations/new",
        data={**PERSON, "phone": "12", "email": "siti at example"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "phone" in summary_links(page) and "email" in summary_links(page)
    error_text(page, "phone")
    error_text(page, "email")
    assert _count() == 0
