"""STOP replies through the gateway's signed inbound webhook."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.notifications.models import OutboundEmail
from consult.notifications.sms.inbound import expected_signature, is_stop
from consult.registration.models import Registration
from tests.effects import committed

from .gateway import ACCOUNT_SID, AUTH_TOKEN
from .test_phone_registration import MOBILE, form

URL = "http://localhost/sms/inbound"


@pytest.fixture
def gateway_settings(app):
    app.config.update(SMS_ACCOUNT_SID=ACCOUNT_SID, SMS_AUTH_TOKEN=AUTH_TOKEN)


def _inbound(body: str, number: str = MOBILE) -> dict[str, str]:
    return {
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": number,
        "To": "+15005550006",
        "Body": body,
        "NumSegments": "1",
    }


def _post(client, params, signature=None):
    signature = signature or expected_signature(AUTH_TOKEN, URL, params.items())
    return client.post(
        "/sms/inbound", data=params, headers={"X-Twilio-Signature": signature}
    )


def _sms_statuses():
    return [
        row.status
        for row in committed().scalars(
            select(OutboundEmail)
            .where(OutboundEmail.channel == "sms")
            .order_by(OutboundEmail.id)
        )
    ]


def test_the_signature_is_twilios():
    # Twilio's documented example: this URL, these parameters, auth token
    # 12345 -> this signature
    # (the test vectors of Twilio's SDKs, e.g. twilio-php's RequestValidatorTest).
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert expected_signature("12345", url, params.items()) == (
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    )
    repeated = [
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]
    assert expected_signature("12345", url, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize(
    "body", ["STOP", " stop ", "StopAll", "unsubscribe\n", "Cancel", "END", "quit"]
)
def test_stop_words(body):
    assert is_stop(body)


@pytest.mark.parametrize("body", ["", "stop please", "STOPP", "yes"])
def test_other_replies_are_not_stop(body):
    assert not is_stop(body)


def test_a_signed_stop_is_committed(client, reg_event, gateway_settings, now):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    assert _sms_statuses() == ["queued"]
    response = _post(client, _inbound("  Stop "))
    assert response.status_code == 200
    assert response.mimetype == "text/xml" and "<Response>" in response.get_data(True)
    [registration] = committed().scalars(select(Registration)).all()
    assert registration.sms_stopped_at >= now
    assert _sms_statuses() == ["withdrawn"]
    [row] = committed().scalars(select(OutboundEmail)).all()
    assert "STOP" in row.last_error


def test_stop_covers_every_registration_with_the_number(
    client, make_reg_event, gateway_settings, now
):
    first, second = make_reg_event(), make_reg_event()
    client.post(f"/events/{first.slug}/register", data=form())
    client.post(f"/events/{second.slug}/register", data=form())
    _post(client, _inbound("STOP"))
    people = committed().scalars(select(Registration)).all()
    assert len(people) == 2 and all(p.sms_stopped_at >= now for p in people)
    assert _sms_statuses() == ["withdrawn", "withdrawn"]
    # Registering again later sends no SMS to the stopped number.
    client.post(f"/events/{first.slug}/register", data=form(phone="+60 12-345 6789"))
    assert _sms_statuses() == ["withdrawn", "withdrawn"]


@pytest.mark.parametrize(
    "signature", ["", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "not base64"]
)
def test_a_bad_signature_is_refused_and_changes_nothing(
    client, reg_event, gateway_settings, signature
):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    response = client.post(
        "/sms/inbound",
        data=_inbound("STOP"),
        headers={"X-Twilio-Signature": signature} if signature else {},
    )
    assert response.status_code == 403
    [registration] = committed().scalars(select(Registration)).all()
    assert registration.sms_stopped_at is None and _sms_statuses() == ["queued"]


def test_a_signature_over_other_parameters_is_refused(
    client, reg_event, gateway_settings
):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    signed_for = _inbound("hello")
    signature = expected_signature(AUTH_TOKEN, URL, signed_for.items())
    response = _post(client, _inbound("STOP"), signature=signature)
    assert response.status_code == 403 and _sms_statuses() == ["queued"]


def test_another_reply_changes_nothing(client, reg_event, gateway_settings):
    client.post(f"/events/{reg_event.slug}/register", data=form())
    assert _post(client, _inbound("Thanks, see you")).status_code == 200
    [registration] = committed().scalars(select(Registration)).all()
    assert registration.sms_stopped_at is None and _sms_statuses() == ["queued"]
