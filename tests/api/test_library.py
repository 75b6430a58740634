"""GET /api/v1/library: the public library, searched as on its page."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.library.services.resources import ResourceData, create_resource
from tests.api.conftest import bearer, make_token


def _resource(organiser, event, now, **fields):
    values = dict(
        title="Refill stations in Petaling Jaya",
        summary="Shops that refill containers instead of selling plastic.",
        link="https://example.org/refill",
        city="Petaling Jaya",
        country="MY",
        category="other",
        event_id=event.id,
    )
    values.update(fields)
    entry = create_resource(organiser, ResourceData(**values), now=now)
    db.session.commit()
    return entry


def test_library_search_and_detail(api, reg_event, organiser, now):
    refill = _resource(organiser, reg_event, now)
    older = _resource(
        organiser,
        reg_event,
        now - timedelta(days=1),
        title="Repair cafés in Ghent",
        country="BE",
        city="Ghent",
    )
    body = api("GET", "/api/v1/library").get_json()
    assert [e["id"] for e in body["items"]] == [refill.id, older.id]
    assert body["total"] == 2 and body["page"] == 1
    assert body["items"][0]["event"] == reg_event.slug
    found = api("GET", "/api/v1/library?q=repairs").get_json()["items"]
    assert [e["title"] for e in found] == ["Repair cafés in Ghent"]
    assert api("GET", "/api/v1/library?country=be").get_json()["total"] == 1
    one = api("GET", f"/api/v1/library/{refill.id}")
    assert one.status_code == 200 and one.get_json()["city"] == "Petaling Jaya"
    assert api("GET", "/api/v1/library/999999").status_code == 404
    assert api("GET", "/api/v1/library?page=0").status_code == 422


def test_library_needs_results_read(client, organiser, now):
    secret = make_token(organiser, now, scopes=["events:read"])
    response = client.get("/api/v1/library", headers=bearer(secret))
    assert response.status_code == 403
