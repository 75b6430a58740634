"""From pages only: an organiser creates an event and a survey, a participant
registers and answers it, the organiser publishes the results and makes a
token on their account page; an integration then reads the survey results,
the dashboard and the published results, and subscribes a webhook, all
through the API."""

from __future__ import annotations

import re

from consult.webhooks.jobs import deliver_webhooks
from consult.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.api.conftest import bearer
from tests.clock import field, wall
from tests.effects import committed
from tests.events.test_manage_pages import FORM
from tests.registration.test_public_pages import form
from tests.webhooks.conftest import receiver  # noqa: F401 (fixture)

SLUG = "circular-design-clinic"
MANAGE = re.compile(r"https?://[^/\s]+(/events/[^/\s]+/registration/[^\s/]+)")


def _survey_from_pages(client) -> tuple[int, int]:
    base = f"/manage/events/{SLUG}"
    created = client.post(
        f"{base}/surveys/new",
        data={
            "title": "Before we meet",
            "introduction": "Tell us what you expect.",
            "kind": "pre_event",
            "audience": "confirmed",
            "opens": field(wall(-1, 9)),
            "closes": field(wall(20, 18)),
            "reminder_after_days": "",
        },
    )
    assert created.status_code == 302
    survey_id = int(re.search(r"/surveys/(\d+)", created.location).group(1))
    question = client.post(
        f"{base}/surveys/{survey_id}/questions/new",
        data={
            "kind": "single_choice",
            "text": "What matters most?",
            "required": "y",
            "new_options": "Food waste\nPlastics\n",
            "scale_labels-0": "a", "scale_labels-1": "b", "scale_labels-2": "c",
            "scale_labels-3": "d", "scale_labels-4": "e",
        },
    )  # fmt: skip
    assert question.status_code == 302
    page = client.get(f"{base}/surveys/{survey_id}").text
    question_id = int(re.search(rf"/surveys/{survey_id}/questions/(\d+)\"", page)[1])
    return survey_id, question_id


def _register_and_answer(app, outbox, name: str, email: str, question_id: int):
    visitor = app.test_client()
    registered = visitor.post(
        f"/events/{SLUG}/register",
        data=form(full_name=name, email=email, type_key="civil_society"),
    )
    assert registered.status_code == 200
    mail = next(m for m in outbox() if m.recipient == email)
    link = MANAGE.search(mail.body_text).group(1)
    committed()  # the outbox fixture's composing is the sender's, not the page's
    manage = visitor.get(link).text
    survey_link = re.search(r'<a href="([^"]+/surveys/[^"]+)">Before we meet', manage)
    answer_page = visitor.get(survey_link.group(1)).text
    plastics = re.search(
        rf'name="q{question_id}" value="(\d+)"[^>]*> Plastics<', answer_page
    )
    done = visitor.post(
        survey_link.group(1),
        data={"action": "submit", f"q{question_id}": plastics.group(1)},
    )
    assert done.status_code == 302


def test_an_integration_reads_results_and_subscribes_a_webhook(
    app,
    client,
    organiser,
    login,
    outbox,
    receiver,  # noqa: F811
):
    login(organiser)
    assert client.post("/manage/events/new", data=FORM).status_code == 302
    base = f"/manage/events/{SLUG}"
    assert client.post(f"{base}/publish").status_code == 302
    survey_id, question_id = _survey_from_pages(client)
    _register_and_answer(app, outbox, "Siti Aminah", "siti@example.my", question_id)
    published = client.post(f"{base}/results/publish", data={"note": "Thank you"})
    assert published.status_code == 302
    token_page = client.post(
        "/auth/account/tokens",
        data={
            "name": "Programme reporting",
            "scopes": ["results:read", "webhooks:manage"],
            "days": "30",
        },
    )
    secret = re.search(
        r'id="new-token" type="text" readonly value="([^"]+)"', token_page.text
    ).group(1)

    integration = app.test_client()  # no cookies: the token alone
    headers = bearer(secret)
    api = f"/api/v1/events/{SLUG}"
    surveys = integration.get(f"{api}/surveys", headers=headers).get_json()
    [listed] = surveys["items"]
    assert (listed["id"], listed["title"], listed["responses"]) == (
        survey_id, "Before we meet", 1,
    )  # fmt: skip
    assert listed["response_rate"]["responded"] == 1
    results = integration.get(
        f"{api}/surveys/{survey_id}/results", headers=headers
    ).get_json()
    [question] = results["questions"]
    counts = {o["label"]: o["count"] for o in question["overall"]["options"]}
    assert counts["Plastics"] == 1 and counts["Food waste"] == 0
    civil = next(g for g in question["groups"] if g["label"] == "Civil society & NGOs")
    assert civil["n"] == 1 and not civil["hidden"]  # a named survey: the page shows it

    dashboard = integration.get(f"{api}/dashboard", headers=headers).get_json()
    assert dashboard["registrations"]["confirmed"] == 1
    assert dashboard["surveys"][0]["responses"] == 1
    shown = client.get(f"{base}/dashboard").text
    assert "1 response" in shown

    public = integration.get(f"{api}/results", headers=headers)
    assert public.status_code == 200
    body = public.get_json()
    assert (body["version"], body["note"], body["participants"]) == (
        1, "Thank you", 1,
    )  # fmt: skip
    # One participant is below the threshold: no split by type is published.
    assert body == {
        **integration.get(f"/events/{SLUG}/results.json").get_json(),
        "event_timezone": "Asia/Kuala_Lumpur",
    }

    subscribed = integration.post(
        f"{api}/webhooks",
        headers=headers,
        json={"url": receiver.url, "kinds": ["registration.created"]},
    )
    assert subscribed.status_code == 201, subscribed.get_json()
    receiver.secret = subscribed.get_json()["secret"]
    row = committed().query(WebhookSubscription).one()
    assert row.url == receiver.url and row.owner_id == organiser.id
    assert "Webhooks" in client.get(f"{base}/webhooks").text
    assert receiver.url in client.get(f"{base}/webhooks").text

    # The next registration is delivered to the receiver, signed.
    _register_and_answer(app, outbox, "Jan de Vries", "jan@example.nl", question_id)
    deliver_webhooks(now=committed().query(WebhookDelivery).one().next_attempt_at)
    [message] = receiver.received
    assert message.signature_ok
    assert message.data["kind"] == "registration.created"
    deliveries = integration.get(
        f"{api}/webhooks/{row.id}/deliveries", headers=headers
    ).get_json()
    assert [(d["status"], d["last_status_code"]) for d in deliveries["items"]] == [
        ("delivered", 200)
    ]
