"""/api/v1/events/<slug>/registrations: list, read, create, cancel, check in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.api.models import ApiToken
from consult.extensions import db
from consult.registration.models import Registration
from tests.api.conftest import bearer, make_token

NEW = {
    "full_name": "Siti Aminah",
    "email": "siti@example.my",
    "country": "MY",
    "type_key": "civil_society",
    "organisation": "Zero Waste PJ",
    "consent_privacy": True,
}


def url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.slug}/registrations{tail}"


def test_list_filters_by_status_type_and_update(api, reg_event, make_registration, now):
    first = make_registration(reg_event)
    waiting = make_registration(reg_event, status="waitlisted", type_key="private")
    later = make_registration(reg_event)
    later.updated_at = now + timedelta(hours=2)
    db.session.commit()

    def ids(query=""):
        response = api("GET", url(reg_event) + query)
        assert response.status_code == 200, response.get_json()
        return [r["id"] for r in response.get_json()["items"]]

    assert ids() == [first.id, waiting.id, later.id]
    assert ids("?status=waitlisted") == [waiting.id]
    assert ids("?stakeholder_type=private") == [waiting.id]
    since = (now + timedelta(hours=1)).isoformat()
    assert ids("?updated_since=" + since.replace("+", "%2B")) == [later.id]
    one = api("GET", url(reg_event)).get_json()["items"][0]
    assert one["stakeholder_type"]["key"] == "government"
    assert one["event_timezone"] == "Asia/Kuala_Lumpur"
    assert one["created_at"] == first.created_at.isoformat()


def test_list_pages_with_an_opaque_stable_cursor(api, reg_event, make_registration):
    made = [make_registration(reg_event).id for _ in range(5)]
    first = api("GET", url(reg_event, "?limit=2")).get_json()
    assert [r["id"] for r in first["items"]] == made[:2]
    cursor = first["next_cursor"]
    assert cursor and str(made[1]) not in cursor  # opaque
    # A registration added meanwhile with a higher id joins the end, never
    # shifting the pages already read.
    made.append(make_registration(reg_event).id)
    second = api("GET", url(reg_event, f"?limit=2&cursor={cursor}")).get_json()
    third = api(
        "GET", url(reg_event, f"?limit=2&cursor={second['next_cursor']}")
    ).get_json()
    assert [r["id"] for r in second["items"] + third["items"]] == made[2:]
    assert third["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=dancing", "status"),
        ("?stakeholder_type=astronauts", "stakeholder_type"),
        ("?updated_since=soon", "updated_since"),
        ("?cursor=!!!", "cursor"),
        ("?limit=-1", "limit"),
    ],
)
def test_bad_list_filters_are_422(api, reg_event, query, field):
    response = api("GET", url(reg_event) + query)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_list_etag_304_then_200_after_a_change(api, reg_event, make_registration):
    make_registration(reg_event)
    etag = api("GET", url(reg_event)).headers["ETag"]
    same = api("GET", url(reg_event), headers={"If-None-Match": etag})
    assert same.status_code == 304
    make_registration(reg_event)
    assert (
        api("GET", url(reg_event), headers={"If-None-Match": etag}).status_code == 200
    )


def test_detail_and_another_events_registration_is_404(
    api, reg_event, make_reg_event, make_registration
):
    mine = make_registration(reg_event)
    elsewhere = make_registration(make_reg_event(title="Second"))
    body = api("GET", url(reg_event, f"/{mine.id}")).get_json()
    assert body["id"] == mine.id and body["full_name"] == mine.full_name
    assert api("GET", url(reg_event, f"/{elsewhere.id}")).status_code == 404


def test_create_registers_as_the_organiser_would(api, reg_event, organiser, outbox):
    response = api("POST", url(reg_event), json=NEW)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    row = db.session.get(Registration, body["id"])
    assert row.full_name == "Siti Aminah" and row.status == "confirmed"
    assert row.assisted and row.assisted_by_id == organiser.id
    assert row.timezone == "Asia/Kuala_Lumpur"  # the event's, when not given
    assert body["status"] == "confirmed"
    assert body["stakeholder_type"]["key"] == "civil_society"
    assert [m.recipient for m in outbox()] == ["siti@example.my"]


def test_create_again_with_the_same_email_answers_200(api, reg_event):
    first = api("POST", url(reg_event), json=NEW).get_json()
    again = api("POST", url(reg_event), json={**NEW, "full_name": "Siti A."})
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_create_follows_capacity_and_the_waiting_list(
    api, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    make_registration(event)
    response = api("POST", url(event), json=NEW)
    assert response.status_code == 201
    assert response.get_json()["status"] == "waitlisted"
    assert response.get_json()["waitlist_position"] == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"full_name": ""}, {"full_name"}),
        ({"country": "XX"}, {"country"}),
        ({"type_key": "aliens"}, {"type_key"}),
        ({"email": "not an email"}, {"email"}),
        ({"email": "", "phone": ""}, {"phone"}),
        ({"timezone": "Mars/Olympus"}, {"timezone"}),
        ({"role": "king"}, {"role"}),
        ({"surprise": 1}, {"surprise"}),
        ({"consent_privacy": False}, {"consent_privacy"}),
    ],
)
def test_bad_registrations_are_422_with_field_errors(api, reg_event, change, fields):
    body = {key: value for key, value in {**NEW, **change}.items()}
    response = api("POST", url(reg_event), json=body)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert fields <= set(response.get_json()["errors"]), response.get_json()
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_a_body_that_is_not_json_is_refused(api, reg_event):
    response = api("POST", url(reg_event), data="full_name=x")
    assert response.status_code in (415, 422)
    assert response.mimetype == "application/problem+json"
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_cancel_frees_the_seat_for_the_waiting_list(
    api, make_reg_event, make_registration
):
    event = make_reg_event(capacity=1)
    seated = make_registration(event)
    waiting = make_registration(event, status="waitlisted")
    response = api("POST", url(event, f"/{seated.id}/cancel"))
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Registration, seated.id).status == "cancelled"
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    again = api("POST", url(event, f"/{seated.id}/cancel"))
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"


def test_check_in_marks_attendance(api, reg_event, make_registration, now):
    person = make_registration(reg_event)
    response = api("POST", url(reg_event, f"/{person.id}/check-in"))
    assert response.status_code == 200
    assert response.get_json()["attended"] is True
    db.session.expire_all()
    row = db.session.get(Registration, person.id)
    assert row.checked_in_at is not None and row.attended
    waiting = make_registration(reg_event, status="waitlisted")
    refused = api("POST", url(reg_event, f"/{waiting.id}/check-in"))
    assert refused.status_code == 409
    assert db.session.get(Registration, waiting.id).checked_in_at is None


def test_another_organisers_token_gets_404_everywhere(
    client, reg_event, other_organiser, make_registration, now
):
    person = make_registration(reg_event)
    secret = make_token(other_organiser, now)
    for method, tail in [
        ("GET", ""),
        ("GET", f"/{person.id}"),
        ("POST", ""),
        ("POST", f"/{person.id}/cancel"),
        ("POST", f"/{person.id}/check-in"),
    ]:
        response = client.open(
            url(reg_event, tail), method=method, headers=bearer(secret), json=NEW
        )
        assert response.status_code == 404, (method, tail, response.status_code)
    db.session.expire_all()
    assert db.session.get(Registration, person.id).status == "confirmed"
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_a_co_organiser_and_an_admin_may(
    client, reg_event, make_user, make_registration, now
):
    from consult.events.services.organisers import add_co_organiser

    colleague = make_user("colleague@example.org")
    add_co_organiser(reg_event, reg_event.owner, colleague.email, now=now)
    db.session.commit()
    admin = make_user("root@example.org", role="admin")
    for user in (colleague, admin):
        secret = make_token(user, now)
        response = client.get(url(reg_event), headers=bearer(secret))
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("scopes", "method", "tail"),
    [
        (["events:read"], "GET", ""),
        (["registrations:read"], "POST", ""),
        (["registrations:read"], "POST", "/1/cancel"),
        (["registrations:read", "results:read"], "POST", "/1/check-in"),
    ],
)
def test_scopes_are_enforced_before_anything_else(
    client, reg_event, organiser, make_registration, now, scopes, method, tail
):
    make_registration(reg_event)
    secret = make_token(organiser, now, scopes=scopes)
    response = client.open(
        url(reg_event, tail), method=method, headers=bearer(secret), json={}
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    db.session.expire_all()
    assert db.session.get(Registration, 1).status == "confirmed"


def test_revoked_expired_missing_and_malformed_tokens_are_401(
    client, reg_event, organiser, now, clock
):
    revoked = make_token(organiser, now)
    db.session.scalar(select(ApiToken)).revoked_at = now
    db.session.commit()
    expiring = make_token(organiser, now, days=1)
    assert client.get(url(reg_event), headers=bearer(expiring)).status_code == 200
    clock.shift(timedelta(days=1, seconds=1))
    for headers in (
        bearer(revoked),
        bearer(expiring),
        {},
        {"Authorization": "Basic b3JnOnB3"},
        {"Authorization": "Bearer"},
        bearer("cst_" + "x" * 200),
    ):
        response = client.get(url(reg_event), headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_without_a_token_is_401(client, login, organiser, reg_event):
    login(organiser)
    assert (
        client.get(f"/manage/events/{reg_event.slug}/registrations").status_code == 200
    )
    assert client.get(url(reg_event)).status_code == 401
    assert client.post(url(reg_event), json=NEW).status_code == 401
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_last_used_at_is_recorded_at_most_once_a_minute(
    api, reg_event, organiser, now, clock
):
    assert db.session.scalar(select(ApiToken)).last_used_at is None
    api("GET", url(reg_event))
    db.session.expire_all()
    first = db.session.scalar(select(ApiToken)).last_used_at
    assert first is not None and first >= now
    clock.shift(timedelta(seconds=30))
    api("GET", url(reg_event))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at == first
    clock.shift(timedelta(seconds=40))
    api("GET", url(reg_event))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at > first
