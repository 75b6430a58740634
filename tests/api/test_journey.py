"""From pages only: an organiser creates and publishes an event, makes a token
on their account page, and an integration uses it to list and add people."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.registration.models import Registration
from tests.api.conftest import bearer
from tests.clock import field, wall


def _new_token(client) -> str:
    page = client.post(
        "/auth/account/tokens",
        data={
            "name": "CRM sync",
            "scopes": ["events:read", "registrations:read", "registrations:write"],
            "days": "90",
        },
    )
    assert page.status_code == 200
    match = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page.text)
    return match.group(1)


def published_event(client) -> str:
    """An event made and published through the organiser's pages; its slug."""
    created = client.post(
        "/manage/events/new",
        data={
            "title": "Designing Circular Cities in Malaysia",
            "timezone": "Asia/Kuala_Lumpur",
            "start": field(wall(20, 15)),
            "end": field(wall(20, 17)),
            "capacity": "30",
        },
    )
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302
    return slug


def test_an_integration_lists_and_adds_people_with_a_token_from_the_account_page(
    app, client, organiser, login, outbox
):
    login(organiser)
    slug = published_event(client)
    assert "/auth/account/tokens" in client.get("/auth/account").text
    secret = _new_token(client)

    integration = app.test_client()  # no cookies: the token alone
    events = integration.get("/api/v1/events", headers=bearer(secret)).get_json()
    assert [e["slug"] for e in events["items"]] == [slug]
    detail = integration.get(f"/api/v1/events/{slug}", headers=bearer(secret))
    types = [t["key"] for t in detail.get_json()["stakeholder_types"]]
    assert "informal" in types

    added = integration.post(
        f"/api/v1/events/{slug}/registrations",
        headers=bearer(secret),
        json={
            "full_name": "Mohd Faizal",
            "phone": "+60 12-345 6789",
            "country": "MY",
            "type_key": "informal",
            "consent_privacy": True,
        },
    )
    assert added.status_code == 201, added.get_json()
    listed = integration.get(
        f"/api/v1/events/{slug}/registrations", headers=bearer(secret)
    ).get_json()
    assert [r["full_name"] for r in listed["items"]] == ["Mohd Faizal"]
    row = db.session.scalar(select(Registration))
    assert row.full_name == "Mohd Faizal" and row.phone == "+60123456789"
    assert row.assisted_by_id == organiser.id and row.status == "confirmed"
    # The organiser's list shows them too.
    registrants = client.get(f"/manage/events/{slug}/registrations").text
    assert "Mohd Faizal" in registrants
