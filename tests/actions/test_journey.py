"""Journey from pages only (issue 23, 1 and 4): an empty database and an
organiser account. The organiser creates an event hosted by Petaling Jaya,
adds challenges and opens the submission window; a participant registers and
sends two pilot proposals from their personal link; the organiser publishes
them and selects them for the action plan, follows "Start an action from
this input" on the report, starts the city's plan, adds the action from the
prefilled form (with the second input too), adds a milestone and publishes
the action. The stored rows hold it all."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.actions.models import Action, ActionPlan, Milestone
from consult.challenges.models import Challenge, Input
from tests.clock import field, wall
from tests.effects import committed
from tests.events.test_manage_pages import FORM as EVENT_FORM
from tests.html_forms import browser_form

SLUG = "circular-design-clinic"


def _link(html: str, text: str) -> str:
    return re.search(rf'href="([^"]+)">{re.escape(text)}</a>', html).group(1)


def _consultation(client, outbox) -> list[Input]:
    base = f"/manage/events/{SLUG}"
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 302
    assert client.post(f"{base}/publish").status_code == 302
    for title, category in [
        ("Food waste", "food_organic"),
        ("Plastics", "plastics_packaging"),
    ]:
        added = client.post(
            f"{base}/challenges",
            data={
                "title": title,
                "category": category,
                "city": "Petaling Jaya",
                "description": "",
            },
        )
        assert added.status_code == 302
    window = {
        "opens_at": field(wall(-1, 9)),
        "closes_at": field(wall(10, 9)),
        "priority_method": "points",
    }
    assert client.post(f"{base}/challenges/window", data=window).status_code == 302
    food = committed().scalar(select(Challenge).where(Challenge.title == "Food waste"))

    visitor = client.application.test_client()
    registered = visitor.post(
        f"/events/{SLUG}/register",
        data={"full_name": "Aisha Rahman", "email": "aisha@example.my", "country": "MY",
              "timezone": "Asia/Kuala_Lumpur", "type_key": "civil_society",
              "role": "attendee", "consent_privacy": "y", "language": "en"},
    )  # fmt: skip
    assert registered.status_code == 200
    mail = next(m for m in outbox() if m.recipient == "aisha@example.my")
    manage = re.search(
        rf"https?://[^/\s]+(/events/{SLUG}/registration/[^\s/]+)", mail.body_text
    ).group(1)
    for title, lead in [
        ("Compost hubs at wet markets", "MBPJ"),
        ("Food bank app", "Kechara"),
    ]:
        sent = visitor.post(
            f"{manage}/inputs/new",
            data={"kind": "pilot_proposal", "challenge_id": str(food.id), "title": title,
                  "body": f"{title}, run by {lead}.", "lead": lead,
                  "partners": "Ljubljana", "budget_range": "10k_50k"},
        )  # fmt: skip
        assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    items = committed().scalars(select(Input).order_by(Input.id)).all()
    for item in items:
        assert (
            client.post(f"{base}/challenges/inputs/{item.id}/publish").status_code
            == 302
        )
        selected = client.post(
            f"{base}/challenges/inputs/{item.id}/moderation",
            data={"tags": "", "answer": "", "selected_for_plan": "y"},
        )
        assert selected.status_code == 302
    assert all(i.selected_for_plan for i in committed().scalars(select(Input)))
    return items


def test_from_selected_inputs_to_a_published_action_with_a_milestone(
    client, login, organiser, outbox, now
):
    login(organiser)
    compost, app_idea = _consultation(client, outbox)

    report = client.get(f"/manage/events/{SLUG}/report").get_data(as_text=True)
    start_link = _link(report, "Start an action from this input")
    assert start_link.endswith(f"?input={compost.id}")
    offer = client.get(start_link).get_data(as_text=True)
    action_url, fields = browser_form(offer, "/plan/start")
    started = client.post(action_url, data=fields)
    assert started.headers["Location"].endswith(start_link)
    assert (
        committed().scalar(select(ActionPlan.title))
        == "Petaling Jaya local action plan"
    )

    prefilled = client.get(start_link).get_data(as_text=True)
    action_url, fields = browser_form(prefilled, "/plan/actions/new")
    assert fields["title"] == "Compost hubs at wet markets"
    assert (fields["kind"], fields["lead_organisation"]) == ("pilot", "MBPJ")
    fields["input_ids"] = [str(compost.id), str(app_idea.id)]
    fields.update(budget_amount="40000", budget_currency="MYR", progress="10")
    added = client.post(action_url, data=fields)
    assert added.status_code == 302
    action = committed().scalar(select(Action))
    assert sorted(i.id for i in action.inputs) == [compost.id, app_idea.id]
    assert [c.title for c in action.challenges] == ["Food waste"]

    page = client.get(added.headers["Location"]).get_data(as_text=True)
    ms_url, ms_fields = browser_form(page, "/milestones")
    ms_fields.update({"ms-title": "Sites chosen", "ms-due_on": field(wall(30))[:10]})
    assert client.post(ms_url, data=ms_fields).status_code == 302
    publish_url, publish = browser_form(page, "/publish")
    assert client.post(publish_url, data=publish).status_code == 302

    action = committed().scalar(select(Action))
    assert action.published_at is not None
    [milestone] = committed().scalars(select(Milestone)).all()
    assert (milestone.title, milestone.due_on) == ("Sites chosen", wall(30).date())
    plan = client.get("/manage/cities/petaling-jaya/plan").get_data(as_text=True)
    assert "Compost hubs at wet markets" in plan and "Sites chosen" in plan
    assert "Published" in plan
