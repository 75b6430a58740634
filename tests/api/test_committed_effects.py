"""What the API's and the token page's writes committed (tests/effects.py),
for tests/test_route_effects.py."""

from __future__ import annotations

from sqlalchemy import select

from consult.api.models import ApiToken
from consult.notifications.models import OutboundEmail
from consult.registration.models import Registration
from tests.api.conftest import bearer
from tests.effects import committed, committed_row


def test_api_registration_writes_are_committed(
    client, token, reg_event, make_registration
):
    base = f"/api/v1/events/{reg_event.slug}/registrations"
    created = client.post(
        base,
        headers=bearer(token),
        json={
            "full_name": "Siti Aminah",
            "email": "siti@example.my",
            "country": "MY",
            "type_key": "government",
            "consent_privacy": True,
        },
    )
    assert created.status_code == 201
    new_id = created.get_json()["id"]
    assert committed_row(Registration, new_id).status == "confirmed"
    assert (
        committed().scalar(
            select(OutboundEmail.recipient).where(
                OutboundEmail.registration_id == new_id
            )
        )
        == "siti@example.my"
    )

    present = make_registration(reg_event)
    checked = client.post(f"{base}/{present.id}/check-in", headers=bearer(token))
    assert checked.status_code == 200
    assert committed_row(Registration, present.id).checked_in_at is not None

    cancelled = client.post(f"{base}/{new_id}/cancel", headers=bearer(token))
    assert cancelled.status_code == 200
    assert committed_row(Registration, new_id).status == "cancelled"


def test_token_page_writes_are_committed(client, login, organiser):
    login(organiser)
    page = client.post(
        "/auth/account/tokens", data={"name": "Sync", "scopes": ["events:read"]}
    )
    assert page.status_code == 200
    row = committed().scalar(select(ApiToken))
    assert row.name == "Sync" and row.revoked_at is None
    revoked = client.post(f"/auth/account/tokens/{row.id}/revoke")
    assert revoked.status_code == 302
    assert committed_row(ApiToken, row.id).revoked_at is not None
