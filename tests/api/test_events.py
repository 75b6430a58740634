"""GET /api/v1/events and /api/v1/events/<slug>."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.events.services.agenda import add_session
from consult.events.services.data import SessionData, SpeakerData
from consult.extensions import db
from consult.programmes.services.editing import attach_event, create_programme
from tests.api.conftest import bearer, make_token
from tests.clock import utc, wall


def test_events_list_the_public_ones_and_the_owners_own(
    api, make_reg_event, other_organiser, organiser
):
    mine_draft = make_reg_event(publish=False, title="My draft")
    public = make_reg_event(owner=other_organiser, title="Their public one")
    make_reg_event(owner=other_organiser, publish=False, title="Their draft")
    response = api("GET", "/api/v1/events")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [(e["slug"], e["managed"]) for e in items] == [
        (mine_draft.slug, True),
        (public.slug, False),
    ]
    assert items[0]["status"] == "draft"
    assert items[0]["timezone"] == "Asia/Kuala_Lumpur"
    assert items[0]["start_at"] == mine_draft.start_at.isoformat()
    assert items[0]["start_at"].endswith("+00:00")


def test_events_filter_by_programme_status_and_dates(
    api, make_reg_event, organiser, now
):
    early = make_reg_event(title="Early")
    late = make_reg_event(title="Late", start_at=utc(40, 8), end_at=utc(40, 10))
    programme = create_programme(organiser, "Circular cities", "", now=now)
    attach_event(programme, organiser, late.id, now=now)
    draft = make_reg_event(publish=False, title="Draft")
    db.session.commit()

    def slugs(query):
        response = api("GET", "/api/v1/events?" + query)
        assert response.status_code == 200, response.get_json()
        return [e["slug"] for e in response.get_json()["items"]]

    assert slugs(f"programme={programme.slug}") == [late.slug]
    assert slugs("programme=nothing-of-that-name") == []
    assert slugs("status=draft") == [draft.slug]
    after = utc(30).isoformat().replace("+00:00", "Z")
    assert slugs("starts_after=" + after) == [late.slug]
    assert slugs("starts_before=" + after) == [early.slug, draft.slug]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=maybe", "status"),
        ("starts_after=yesterday", "starts_after"),
        ("starts_after=2026-12-01T10:00:00", "starts_after"),  # no zone
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=bm9wZQ", "cursor"),
        (
            "starts_after=2026-12-02T00:00:00Z&starts_before=2026-12-01T00:00:00Z",
            "starts_before",
        ),
    ],
)
def test_bad_filters_are_422_problems_naming_the_field(api, reg_event, query, field):
    response = api("GET", "/api/v1/events?" + query)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 422 and body["type"] == "about:blank"
    assert field in body["errors"], body


def test_events_page_through_with_a_cursor(api, make_reg_event):
    made = [make_reg_event(title=f"Event {n}").slug for n in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = api("GET", "/api/v1/events?" + query).get_json()
        seen += [e["slug"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == made


def test_event_detail_has_agenda_types_and_zone(api, reg_event, organiser, now):
    add_session(
        reg_event,
        organiser,
        SessionData(
            title="Petaling Jaya's five challenges",
            start=wall(21, 16),
            end=wall(21, 17),
            speakers=[SpeakerData(name="Aisha", affiliation="MBPJ", country="MY")],
        ),
        now=now,
    )
    db.session.commit()
    response = api("GET", f"/api/v1/events/{reg_event.slug}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["timezone"] == "Asia/Kuala_Lumpur"
    assert body["capacity"] == 100
    session = body["sessions"][0]
    assert session["title"] == "Petaling Jaya's five challenges"
    assert session["start_at"] == reg_event.sessions[0].start_at.isoformat()
    assert session["start_at"] == reg_event.start_at.isoformat()  # 16:00 in KL
    assert session["speakers"][0]["name"] == "Aisha"
    assert [t["key"] for t in body["stakeholder_types"]][:2] == [
        "government",
        "private",
    ]


def test_event_etag_gives_304_until_the_event_changes(api, reg_event, now):
    first = api("GET", f"/api/v1/events/{reg_event.slug}")
    etag = first.headers["ETag"]
    again = api(
        "GET", f"/api/v1/events/{reg_event.slug}", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    reg_event.title = "A new title"
    reg_event.updated_at = now + timedelta(minutes=1)
    db.session.commit()
    changed = api(
        "GET", f"/api/v1/events/{reg_event.slug}", headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.get_json()["title"] == "A new title"
    assert changed.headers["ETag"] != etag


def test_another_organisers_draft_is_404_and_own_draft_is_readable(
    api, make_reg_event, other_organiser
):
    theirs = make_reg_event(owner=other_organiser, publish=False)
    mine = make_reg_event(publish=False, title="Mine")
    response = api("GET", f"/api/v1/events/{theirs.slug}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert api("GET", f"/api/v1/events/{mine.slug}").status_code == 200
    assert api("GET", "/api/v1/events/no-such-event").status_code == 404


def test_events_need_the_events_read_scope(client, reg_event, organiser, now):
    secret = make_token(organiser, now, scopes=["registrations:read"])
    response = client.get("/api/v1/events", headers=bearer(secret))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"]
