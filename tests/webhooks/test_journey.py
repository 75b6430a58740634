"""From pages only: an organiser's event, a webhook added on its page, a
participant registering through the form, the job run: the receiver gets a
signed ``registration.created`` it can verify with the secret the page showed."""

from __future__ import annotations

import re

from consult.timeutil import now_utc
from consult.webhooks.jobs import deliver_webhooks
from tests.clock import field, wall


def test_journey_subscription_to_signed_delivery(
    app, client, organiser, login, receiver
):
    login(organiser)
    created = client.post(
        "/manage/events/new",
        data={"title": "Plastics roadmap webinar", "timezone": "Asia/Kuala_Lumpur",
              "start": field(wall(20, 15)), "end": field(wall(20, 17)),
              "capacity": "30"},
    )  # fmt: skip
    slug = re.search(r"/manage/events/([^/]+)/", created.location).group(1)
    assert client.post(f"/manage/events/{slug}/publish").status_code == 302

    tabs = client.get(f"/manage/events/{slug}/").get_data(as_text=True)
    assert f'href="/manage/events/{slug}/webhooks"' in tabs
    page = client.post(
        f"/manage/events/{slug}/webhooks",
        data={"url": receiver.url, "kinds": ["registration.created"]},
    ).get_data(as_text=True)
    receiver.secret = re.search(r"<code>(whsec_[0-9a-f]+)</code>", page).group(1)

    visitor = app.test_client()
    registered = visitor.post(
        f"/events/{slug}/register",
        data={"full_name": "Nurul Huda", "email": "nurul@example.my",
              "country": "MY", "timezone": "Asia/Kuala_Lumpur",
              "type_key": "civil_society", "role": "attendee",
              "consent_privacy": "y"},
    )  # fmt: skip
    assert registered.status_code == 200

    # The job runs after the request, on the tests' running clock.
    assert deliver_webhooks(now=now_utc()).delivered == 1
    (got,) = receiver.received
    assert got.signature_ok
    assert got.data["kind"] == "registration.created"
    assert got.data["event"]["slug"] == slug
    assert got.data["data"]["status"] == "confirmed"
    assert "nurul" not in got.body.lower()
    deliveries = client.get(
        re.search(r'href="([^"]+/deliveries)"', client.get(
            f"/manage/events/{slug}/webhooks").get_data(as_text=True)).group(1)
    ).get_data(as_text=True)  # fmt: skip
    assert "HTTP 200" in deliveries
