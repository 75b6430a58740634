"""/api/v1/events/<slug>/webhooks: subscriptions and their deliveries, as on
the event's Webhooks page, with the page's checks (https, public addresses,
kinds) and its effects on the rows."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.webhooks.jobs import deliver_webhooks
from consult.webhooks.models import WebhookDelivery, WebhookSubscription
from consult.webhooks.services import emit
from consult.webhooks.services.subscriptions import (
    SubscriptionData,
    create_subscription,
    send_ping,
)
from tests.api.conftest import bearer, make_token
from tests.effects import committed, committed_row
from tests.webhooks.conftest import receiver  # noqa: F401 (fixture)

PUBLIC = "https://93.184.216.34/hooks/consult"  # an IP literal: no DNS asked
KINDS = ["registration.created", "results.published"]


def url(event, tail: str = "") -> str:
    return f"/api/v1/events/{event.slug}/webhooks{tail}"


def _subscribe(event, user, now, address=PUBLIC, kinds=("registration.created",)):
    row = create_subscription(event, user, SubscriptionData(address, kinds), now=now)
    db.session.commit()
    return row


def test_create_answers_the_secret_once_and_saves_the_row(api, reg_event, organiser):
    assert api("GET", url(reg_event)).get_json() == {"items": []}
    response = api("POST", url(reg_event), json={"url": PUBLIC, "kinds": KINDS})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    row = committed().query(WebhookSubscription).one()
    assert (row.url, row.kinds, row.owner_id, row.status) == (
        PUBLIC, KINDS, organiser.id, "active",
    )  # fmt: skip
    assert body["secret"] == row.secret and row.secret.startswith("whsec_")
    assert body["id"] == row.id and body["kinds"] == KINDS
    assert body["deliveries"] == {
        "queued": 0, "sending": 0, "delivered": 0, "failed": 0,
    }  # fmt: skip
    assert body["event_timezone"] == "Asia/Kuala_Lumpur"
    assert body["created_at"] == row.created_at.isoformat()
    # Never again: neither the list nor the subscription shows it.
    listed = api("GET", url(reg_event))
    one = api("GET", url(reg_event, f"/{row.id}"))
    assert row.secret not in listed.get_data(as_text=True)
    assert row.secret not in one.get_data(as_text=True)
    assert [w["url"] for w in listed.get_json()["items"]] == [PUBLIC]
    assert one.get_json() == {k: v for k, v in body.items() if k != "secret"}


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"url": "https://10.0.0.7/hook", "kinds": KINDS}, "url", "private"),
        ({"url": "https://[fe80::1]/hook", "kinds": KINDS}, "url", "private"),
        ({"url": "http://93.184.216.34/hook", "kinds": KINDS}, "url", "https://"),
        ({"url": "https://hooks.example.org/x", "kinds": KINDS}, "url", "resolve"),
        ({"url": "https://user:pw@93.184.216.34/", "kinds": KINDS}, "url", "user"),
        ({"url": PUBLIC, "kinds": []}, "kinds", "Length"),
        ({"url": PUBLIC, "kinds": ["registration.deleted"]}, "kinds.0", "one of"),
        ({"url": PUBLIC}, "kinds", "required"),
        ({"url": PUBLIC, "kinds": KINDS, "secret": "mine"}, "secret", "Unknown"),
    ],
)
def test_refused_subscriptions_are_422_and_save_nothing(
    app, api, reg_event, payload, field, message
):
    # As in production: no plain HTTP, no loopback.
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    response = api("POST", url(reg_event), json=payload)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert field in errors, errors
    if message == "Length":
        message = "Length must be between"
    assert any(message.lower() in m.lower() for m in errors[field]), errors
    assert committed().query(WebhookSubscription).count() == 0


def test_loopback_only_where_the_setting_allows_it(app, api, reg_event):
    body = {"url": "http://127.0.0.1:9/hook", "kinds": KINDS}
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    assert api("POST", url(reg_event), json=body).status_code == 422
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = True  # development and tests
    assert api("POST", url(reg_event), json=body).status_code == 201
    assert committed().query(WebhookSubscription).one().url == body["url"]


def test_another_organisers_event_is_404_before_the_body_is_read(
    client, api, reg_event, make_reg_event, other_organiser, now
):
    theirs = make_reg_event(owner=other_organiser, title="Not yours")
    row = _subscribe(theirs, other_organiser, now)
    send_ping(row, other_organiser, now=now)
    db.session.commit()
    delivery = committed().query(WebhookDelivery).one()
    one = url(theirs, f"/{row.id}")
    calls = [
        ("GET", url(theirs), None),
        ("POST", url(theirs), {"url": PUBLIC, "kinds": KINDS}),
        ("POST", url(theirs), {"nonsense": True}),  # 404, not 422
        ("GET", one, None),
        ("DELETE", one, None),
        ("POST", one + "/pause", None),
        ("POST", one + "/resume", None),
        ("GET", one + "/deliveries", None),
        ("POST", one + f"/deliveries/{delivery.id}/resend", None),
        ("GET", url(reg_event, f"/{row.id}"), None),  # theirs under my event
        ("GET", "/api/v1/events/no-such-event/webhooks", None),
    ]
    for method, path, body in calls:
        response = api(method, path, json=body)
        assert response.status_code == 404, (method, path, response.get_json())
        if reg_event.slug not in path:
            assert response.get_json()["detail"] == "Not found, or not yours to see."
    row = committed_row(WebhookSubscription, row.id)
    assert (row.status, row.url) == ("active", PUBLIC)
    assert committed().query(WebhookSubscription).count() == 1
    assert committed().query(WebhookDelivery).one().status == "queued"


def test_a_token_without_the_scope_is_403_and_changes_nothing(
    client, reg_event, organiser, now
):
    row = _subscribe(reg_event, organiser, now)
    secret = make_token(organiser, now, scopes=["events:read", "results:read"])
    headers = {"Authorization": f"Bearer {secret}"}
    base = url(reg_event)
    for method, path in [
        ("GET", base),
        ("POST", base),
        ("GET", f"{base}/{row.id}"),
        ("DELETE", f"{base}/{row.id}"),
        ("POST", f"{base}/{row.id}/pause"),
        ("GET", f"{base}/{row.id}/deliveries"),
    ]:
        response = client.open(path, method=method, headers=headers, json={})
        assert response.status_code == 403, (method, path)
    assert client.get(base).status_code == 401  # no token at all
    assert committed_row(WebhookSubscription, row.id).status == "active"


def test_pause_resume_and_their_conflicts(api, reg_event, organiser, now):
    row = _subscribe(reg_event, organiser, now)
    base = url(reg_event, f"/{row.id}")
    paused = api("POST", base + "/pause")
    assert paused.status_code == 200
    assert paused.get_json()["status"] == "paused"
    stored = committed_row(WebhookSubscription, row.id)
    assert (stored.status, stored.paused_reason) == ("paused", "")
    assert stored.paused_at is not None
    again = api("POST", base + "/pause")
    assert again.status_code == 409
    assert again.get_json()["detail"] == "This webhook is paused already."
    resumed = api("POST", base + "/resume")
    assert resumed.status_code == 200 and resumed.get_json()["status"] == "active"
    stored = committed_row(WebhookSubscription, row.id)
    assert (stored.status, stored.paused_at) == ("active", None)
    assert api("POST", base + "/resume").status_code == 409


def test_resume_a_subscription_paused_for_failures(api, reg_event, organiser, now):
    row = _subscribe(reg_event, organiser, now)
    row.status, row.paused_reason, row.paused_at = "paused", "failures", now
    row.consecutive_failures, row.failing_since = 10, now
    db.session.commit()
    body = api("GET", url(reg_event, f"/{row.id}")).get_json()
    assert (body["status"], body["paused_reason"]) == ("paused", "failures")
    assert body["consecutive_failures"] == 10
    assert api("POST", url(reg_event, f"/{row.id}/resume")).status_code == 200
    stored = committed_row(WebhookSubscription, row.id)
    assert (stored.status, stored.consecutive_failures, stored.failing_since) == (
        "active", 0, None,
    )  # fmt: skip


def test_delete_removes_the_subscription_and_its_deliveries(
    api, reg_event, organiser, now
):
    row = _subscribe(reg_event, organiser, now)
    send_ping(row, organiser, now=now)
    db.session.commit()
    response = api("DELETE", url(reg_event, f"/{row.id}"))
    assert response.status_code == 204 and response.get_data() == b""
    assert committed_row(WebhookSubscription, row.id) is None
    assert committed().query(WebhookDelivery).count() == 0
    assert api("GET", url(reg_event, f"/{row.id}")).status_code == 404


def test_deliveries_newest_first_with_the_last_answer_and_a_cursor(
    api,
    reg_event,
    organiser,
    now,
    receiver,  # noqa: F811
):
    row = _subscribe(reg_event, organiser, now, address=receiver.url)
    receiver.statuses = [500]
    for number in range(3):
        emit(reg_event, "registration.created", {"id": number}, now=now)
    db.session.commit()
    deliver_webhooks(now=now)
    made = [d.id for d in committed().query(WebhookDelivery).order_by("id")]
    first = api("GET", url(reg_event, f"/{row.id}/deliveries?limit=2")).get_json()
    assert [d["id"] for d in first["items"]] == made[::-1][:2]
    assert first["next_cursor"] and str(made[1]) not in first["next_cursor"]
    rest = api(
        "GET",
        url(reg_event, f"/{row.id}/deliveries?limit=2&cursor={first['next_cursor']}"),
    ).get_json()
    assert [d["id"] for d in rest["items"]] == [made[0]]
    assert rest["next_cursor"] is None
    items = {d["id"]: d for d in first["items"] + rest["items"]}
    failed = [d for d in items.values() if d["last_status_code"] == 500]
    assert len(failed) == 1
    (broken,) = failed
    assert broken["status"] == "queued" and broken["attempts"] == 1
    assert broken["last_response"].startswith("broken") and broken["last_error"]
    stored = committed_row(WebhookDelivery, broken["id"])
    assert broken["webhook_id"] == stored.webhook_id
    assert broken["next_attempt_at"] == stored.next_attempt_at.isoformat()
    delivered = [d for d in items.values() if d["status"] == "delivered"]
    assert [d["last_status_code"] for d in delivered] == [200, 200]
    assert all(d["delivered_at"] for d in delivered)
    assert api("GET", url(reg_event, f"/{row.id}")).get_json()["deliveries"] == {
        "queued": 1, "sending": 0, "delivered": 2, "failed": 0,
    }  # fmt: skip
    bad = api("GET", url(reg_event, f"/{row.id}/deliveries?cursor=!!"))
    assert bad.status_code == 422 and "cursor" in bad.get_json()["errors"]


def test_resend_queues_a_delivery_again(
    api,
    reg_event,
    organiser,
    now,
    receiver,  # noqa: F811
):
    row = _subscribe(reg_event, organiser, now, address=receiver.url)
    other = _subscribe(reg_event, organiser, now, address=receiver.url + "2")
    send_ping(row, organiser, now=now)
    send_ping(other, organiser, now=now)
    db.session.commit()
    waiting = committed().query(WebhookDelivery).filter_by(subscription_id=row.id)
    delivery = waiting.one()
    base = url(reg_event, f"/{row.id}/deliveries")
    early = api("POST", f"{base}/{delivery.id}/resend")
    assert early.status_code == 409
    assert committed_row(WebhookDelivery, delivery.id).status == "queued"
    deliver_webhooks(now=now)
    assert committed_row(WebhookDelivery, delivery.id).status == "delivered"
    response = api("POST", f"{base}/{delivery.id}/resend")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    stored = committed_row(WebhookDelivery, delivery.id)
    assert (stored.status, stored.attempts) == ("queued", 0)
    assert (body["status"], body["attempts"], body["id"]) == ("queued", 0, delivery.id)
    assert body["webhook_id"] == stored.webhook_id  # the same message
    theirs = committed().query(WebhookDelivery).filter_by(subscription_id=other.id)
    assert api("POST", f"{base}/{theirs.one().id}/resend").status_code == 404
    assert api("POST", f"{base}/999999/resend").status_code == 404


def test_webhook_api_writes_are_committed(client, token, reg_event, now):
    """For tests/test_route_effects.py: each write, read back as committed."""
    base = url(reg_event)
    headers = bearer(token)
    created = client.post(
        base, headers=headers, json={"url": PUBLIC, "kinds": ["results.published"]}
    )
    assert created.status_code == 201
    hook_id = created.get_json()["id"]
    assert committed_row(WebhookSubscription, hook_id).kinds == ["results.published"]
    paused = client.post(f"{base}/{hook_id}/pause", headers=headers)
    assert paused.status_code == 200
    assert committed_row(WebhookSubscription, hook_id).status == "paused"
    resumed = client.post(f"{base}/{hook_id}/resume", headers=headers)
    assert resumed.status_code == 200
    assert committed_row(WebhookSubscription, hook_id).status == "active"
    row = committed_row(WebhookSubscription, hook_id)
    send_ping(row, row.owner, now=now)
    db.session.commit()
    delivery = committed().query(WebhookDelivery).one()
    delivery.status = "failed"
    db.session.commit()
    resent = client.post(
        f"{base}/{hook_id}/deliveries/{delivery.id}/resend", headers=headers
    )
    assert resent.status_code == 200
    assert committed_row(WebhookDelivery, delivery.id).status == "queued"
    deleted = client.delete(f"{base}/{hook_id}", headers=headers)
    assert deleted.status_code == 204
    assert committed_row(WebhookSubscription, hook_id) is None
