"""The manage page's SMS settings: a person changes their mobile number
(validated like the form, stored in E.164) and turns SMS off and on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.notifications.models import OutboundEmail
from consult.notifications.services import deliver_outbox
from consult.registration.models import Registration
from consult.registration.services import manage_token
from consult.registration.services.sms_settings import update_sms_settings
from consult.timeutil import now_utc
from tests.effects import committed, committed_row
from tests.sms.test_phone_registration import MOBILE, form

NEW_MOBILE = "+60173450103"


def _registered(client, event, **changes) -> Registration:
    response = client.post(f"/events/{event.slug}/register", data=form(**changes))
    assert response.status_code == 200
    return committed().scalars(select(Registration)).one()


def _sms_url(event, registration) -> str:
    return f"/events/{event.slug}/registration/{manage_token(registration)}/sms"


def test_a_person_changes_their_number_and_turns_sms_off_and_on(client, reg_event, now):
    person = _registered(client, reg_event, email="siti@example.my")
    assert person.phone == MOBILE and now <= person.sms_consented_at <= now_utc()
    url = _sms_url(reg_event, person)
    page = client.get(url.removesuffix("/sms")).get_data(True)
    assert "Save my SMS settings" in page and f'value="{MOBILE}"' in page

    # A new number, written the local way: read in Malaysia, kept in E.164.
    moved = client.post(url, data={"phone": "017-345 0103", "consent_sms": "y"})
    assert moved.status_code == 302
    row = committed_row(Registration, person.id)
    consented = row.sms_consented_at
    assert row.phone == NEW_MOBILE and consented >= now
    # The confirmation queued for the old number does not leave.
    deliver_outbox(now=now_utc())
    db.session.commit()
    [sms] = committed().scalars(
        select(OutboundEmail).where(OutboundEmail.channel == "sms")
    )
    assert (sms.recipient, sms.status) == (MOBILE, "withdrawn")

    # Bad input: said next to the field, nothing changes.
    for data, message in (
        ({"phone": "12", "consent_sms": "y"}, "not a valid phone number"),
        ({"phone": "", "consent_sms": "y"}, "Give a mobile number to receive SMS"),
    ):
        refused = client.post(url, data=data)
        assert refused.status_code == 422
        assert message in refused.get_data(True)
        row = committed_row(Registration, person.id)
        assert (row.phone, row.sms_consented_at) == (NEW_MOBILE, consented)

    # SMS off: the number stays, the consent goes.
    assert client.post(url, data={"phone": NEW_MOBILE}).status_code == 302
    row = committed_row(Registration, person.id)
    assert (row.phone, row.sms_consented_at, row.sms_allowed) == (
        NEW_MOBILE,
        None,
        False,
    )
    page = client.get(url.removesuffix("/sms")).get_data(True)
    assert (
        'id="consent_sms"' in page
        and "checked" not in page.split('id="consent_sms"')[0].rsplit("<input", 1)[1]
    )

    # And on again: recorded with its time.
    again = client.post(url, data={"phone": NEW_MOBILE, "consent_sms": "y"})
    assert again.status_code == 302
    assert committed_row(Registration, person.id).sms_consented_at is not None


def test_without_an_email_the_number_stays(client, reg_event):
    person = _registered(client, reg_event)  # by phone alone
    refused = client.post(_sms_url(reg_event, person), data={"phone": ""})
    assert refused.status_code == 422
    assert "keep a mobile number" in refused.get_data(True)
    row = committed_row(Registration, person.id)
    assert row.phone == MOBILE and row.sms_consented_at is not None


def test_consent_after_stop_is_recorded_anew(app, reg_event, make_registration, now):
    person = make_registration(reg_event, email="ana@example.org", phone=MOBILE)
    person.sms_consented_at = now - timedelta(days=2)
    person.sms_stopped_at = now - timedelta(days=1)
    db.session.commit()
    update_sms_settings(person, MOBILE, True, now=now)
    assert (person.sms_consented_at, person.sms_stopped_at) == (now, None)
    assert person.sms_allowed
    # A new number: consent recorded anew, at the time of the change.
    later = now + timedelta(hours=1)
    update_sms_settings(person, "017-345 0103", True, now=later)
    assert (person.phone, person.sms_consented_at) == (NEW_MOBILE, later)
    update_sms_settings(person, NEW_MOBILE, False, now=later)
    assert person.sms_consented_at is None and not person.sms_allowed
