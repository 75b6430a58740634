"""The organiser pages of webhooks, over HTTP."""

from __future__ import annotations

import re

from consult.webhooks.models import WebhookDelivery, WebhookSubscription
from consult.webhooks.services import emit
from tests.effects import committed, committed_row
from tests.webhooks.conftest import deliveries


def _base(event):
    return f"/manage/events/{event.slug}/webhooks"


def test_creating_shows_the_secret_once(client, login, organiser, reg_event, receiver):
    login(organiser)
    response = client.post(
        _base(reg_event),
        data={
            "url": receiver.url,
            "kinds": ["registration.created", "input.submitted"],
        },
    )
    assert response.status_code == 201
    row = committed().query(WebhookSubscription).one()
    assert row.kinds == ["registration.created", "input.submitted"]
    assert (row.url, row.owner_id, row.status) == (receiver.url, organiser.id, "active")
    page = response.get_data(as_text=True)
    assert row.secret in page
    again = client.get(_base(reg_event)).get_data(as_text=True)
    assert receiver.url in again and row.secret not in again
    edit = client.get(f"{_base(reg_event)}/{row.id}/edit").get_data(as_text=True)
    assert row.secret not in edit


def test_bad_input_is_shown_next_to_the_field_and_saves_nothing(
    app, client, login, organiser, reg_event
):
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    login(organiser)
    response = client.post(
        _base(reg_event), data={"url": "https://10.0.0.7/hook", "kinds": []}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "private, local or reserved" in page
    assert committed().query(WebhookSubscription).count() == 0


def test_edit_pause_resume_ping_and_delete(
    client, login, organiser, reg_event, receiver, subscribe
):
    sub = subscribe(reg_event, receiver)
    secret = sub.secret
    login(organiser)
    base = f"{_base(reg_event)}/{sub.id}"
    saved = client.post(
        f"{base}/edit", data={"url": receiver.url + "2", "kinds": ["results.published"]}
    )
    assert saved.status_code == 302
    row = committed_row(WebhookSubscription, sub.id)
    assert (row.url, row.kinds, row.secret) == (
        receiver.url + "2", ["results.published"], secret,
    )  # fmt: skip
    assert client.post(f"{base}/pause").status_code == 302
    assert committed_row(WebhookSubscription, sub.id).status == "paused"
    assert client.post(f"{base}/resume").status_code == 302
    assert committed_row(WebhookSubscription, sub.id).status == "active"
    assert client.post(f"{base}/ping").status_code == 302
    assert [d.kind for d in deliveries(sub.id)] == ["ping"]
    assert client.post(f"{base}/delete").status_code == 302
    assert committed_row(WebhookSubscription, sub.id) is None
    assert committed().query(WebhookDelivery).count() == 0


def test_deliveries_page_and_resend(
    client, login, organiser, reg_event, receiver, subscribe, now
):
    from consult.extensions import db
    from consult.webhooks.jobs import deliver_webhooks

    sub = subscribe(reg_event, receiver)
    receiver.statuses = [500]
    emit(reg_event, "registration.created", {"id": 5}, now=now)
    db.session.commit()
    deliver_webhooks(now=now)
    login(organiser)
    base = f"{_base(reg_event)}/{sub.id}"
    page = client.get(f"{base}/deliveries").get_data(as_text=True)
    assert "HTTP 500" in page and "broken" in page
    (row,) = deliveries(sub.id)
    # Waiting for its retry: nothing to re-send yet.
    assert f"/deliveries/{row.id}/resend" not in page
    deliver_webhooks(now=row.next_attempt_at)
    page = client.get(f"{base}/deliveries").get_data(as_text=True)
    assert re.search(rf"/deliveries/{row.id}/resend", page)
    assert client.post(f"{base}/deliveries/{row.id}/resend").status_code == 302
    row = committed_row(WebhookDelivery, row.id)
    assert (row.status, row.attempts) == ("queued", 0)


def test_another_organiser_cannot_see_or_change_them(
    client, login, other_organiser, reg_event, receiver, subscribe
):
    sub = subscribe(reg_event, receiver)
    login(other_organiser)
    base = _base(reg_event)
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/{sub.id}/delete").status_code == 403
    assert client.get(f"{base}/{sub.id}/deliveries").status_code == 403
    assert committed_row(WebhookSubscription, sub.id) is not None


def test_a_subscription_of_another_event_is_a_404(
    client, login, organiser, make_reg_event, receiver, subscribe
):
    first = make_reg_event(title="First")
    second = make_reg_event(title="Second")
    sub = subscribe(first, receiver)
    login(organiser)
    assert client.get(f"{_base(second)}/{sub.id}/deliveries").status_code == 404
    assert client.post(f"{_base(second)}/{sub.id}/delete").status_code == 404
    assert (
        client.post(f"{_base(first)}/{sub.id}/deliveries/99/resend").status_code == 404
    )


def test_a_url_with_markup_is_shown_as_text(app, client, login, organiser, reg_event):
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    login(organiser)
    url = "https://93.184.216.34/<script>alert(1)</script>"
    response = client.post(
        _base(reg_event), data={"url": url, "kinds": ["registration.created"]}
    )
    assert response.status_code == 201
    assert committed().query(WebhookSubscription).one().url == url
    page = client.get(_base(reg_event)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
