"""A phone number on the public registration form, and the SMS it queues."""

from __future__ import annotations

import pathlib

import pytest
from sqlalchemy import func, select

from consult.errors import ValidationFailed
from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.phones import normalise_phone
from consult.registration.models import Registration
from consult.registration.services import cancel_registration
from consult.timeutil import now_utc

MOBILE = "+60123456789"


def form(**overrides):
    values = {
        "full_name": "Siti Aminah",
        "email": "",
        "phone": "012-345 6789",
        "consent_sms": "y",
        "country": "MY",
        "timezone": "Asia/Kuala_Lumpur",
        "type_key": "informal",
        "role": "attendee",
        "consent_privacy": "y",
    }
    values.update(overrides)
    return values


def registrations():
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def sms_rows():
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.channel == "sms")
            .order_by(OutboundEmail.id)
        )
    )


def email_count():
    return db.session.scalar(
        select(func.count(OutboundEmail.id)).where(OutboundEmail.channel == "email")
    )


def test_normalise_reads_a_local_number_in_the_countrys_region():
    assert normalise_phone("012-345 6789", "MY") == MOBILE
    assert normalise_phone("+60 12 345 6789", "") == MOBILE
    assert normalise_phone("  ", "MY") == ""
    with pytest.raises(ValidationFailed) as refused:
        normalise_phone("012-345 6789", "")
    assert refused.value.field == "phone"
    with pytest.raises(ValidationFailed):
        normalise_phone("12", "MY")


def test_register_by_phone_alone_stores_e164_and_consent_and_texts_the_link(
    app, client, reg_event, now
):
    response = client.post(f"/events/{reg_event.slug}/register", data=form())
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "sent your personal link by SMS" in page
    [registration] = registrations()
    assert registration.email is None and registration.phone == MOBILE
    # Stamped by the request: at or a little after the test started.
    assert now <= registration.sms_consented_at <= now_utc()
    assert registration.status == "confirmed"
    [sms] = sms_rows()
    assert sms.recipient == MOBILE and sms.registration_id == registration.id
    assert sms.status == "queued" and sms.body_text == "" and email_count() == 0

    report = deliver_outbox(now=now_utc())
    db.session.commit()
    assert report.sent == 1
    [path] = list(pathlib.Path(app.instance_path, "sms").glob("*.txt"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"To: {MOBILE}\n")
    assert reg_event.title in text and "you are registered" in text
    link = next(line for line in text.splitlines() if "/r/" in line)
    # The short link opens the person's manage page.
    short_path = link.split("localhost", 1)[1]
    redirect = client.get(short_path)
    assert redirect.status_code == 302
    assert "/registration/" in redirect.headers["Location"]
    manage = client.get(redirect.headers["Location"])
    assert manage.status_code == 200 and "Siti Aminah" in manage.get_data(as_text=True)
    # A forged short link opens nothing.
    assert client.get(short_path[:-2] + "xx").status_code == 404


def test_email_and_phone_queue_both_messages(client, reg_event):
    response = client.post(
        f"/events/{reg_event.slug}/register", data=form(email="siti@example.my")
    )
    assert response.status_code == 200
    assert "emailed your personal link" in response.get_data(as_text=True)
    [registration] = registrations()
    assert registration.email == "siti@example.my" and registration.phone == MOBILE
    assert email_count() == 1 and len(sms_rows()) == 1


def test_email_without_sms_consent_queues_no_sms(client, reg_event):
    client.post(
        f"/events/{reg_event.slug}/register",
        data=form(email="siti@example.my", consent_sms=""),
    )
    [registration] = registrations()
    assert registration.phone == MOBILE and registration.sms_consented_at is None
    assert email_count() == 1 and sms_rows() == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"phone": "", "consent_sms": ""},
            "email",
            "Give an email address or a mobile number",
        ),
        ({"phone": ""}, "phone", "Give a mobile number to receive SMS"),
        ({"consent_sms": ""}, "consent_sms", "only send you your personal link by SMS"),
        ({"phone": "12"}, "phone", "not a valid phone number"),
        ({"phone": "+60 3-2123 4567"}, "phone", "not a mobile number"),
    ],
)
def test_bad_contact_is_refused_next_to_its_field(
    client, reg_event, overrides, field, message
):
    response = client.post(f"/events/{reg_event.slug}/register", data=form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert registrations() == [] and sms_rows() == []


def test_one_public_registration_per_phone_without_email(client, reg_event, now):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    again = client.post(
        f"/events/{reg_event.slug}/register",
        data=form(phone="+60 12-345 6789", full_name="Someone Else"),
    )
    assert "already registered" in again.get_data(as_text=True)
    [registration] = registrations()
    assert registration.full_name == "Siti Aminah"
    assert [row.template for row in sms_rows()] == [
        "sms_registration_confirmed",
        "sms_registration_link_resent",
    ]


def test_cancelling_withdraws_a_queued_sms(client, reg_event, now):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    [registration] = registrations()
    cancel_registration(registration, now=now)
    db.session.commit()
    statuses = {row.template: row.status for row in sms_rows()}
    assert statuses["sms_registration_confirmed"] == "withdrawn"
    # The cancellation itself is texted.
    assert statuses["sms_registration_cancelled"] == "queued"
