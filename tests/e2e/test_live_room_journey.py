"""The live room in three browsers: a moderator and two participants who
registered through the form and opened the room from their manage page. A
question one participant asks, once the moderator approves it, appears on
the other's page without a reload; so do a poll the moderator launches and
its results once closed. Screenshots: test-artifacts/screenshots/live/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.clock import field
from tests.e2e.conftest import ORGANISER, login_as
from tests.e2e.steps import expect, fill_registration, manage_path

KL = ZoneInfo("Asia/Kuala_Lumpur")
PEOPLE = (
    ("Amina Rahman", "amina.live@example.my", "Government & public agencies"),
    ("Lim Wei", "lim.live@example.my", "Private sector"),
)


def _create_event(page) -> str:
    start = (datetime.now(UTC) + timedelta(minutes=10)).astimezone(KL)
    page.goto("/manage/events/new")
    page.locator("#title").fill("Live consultation on plastics")
    page.locator("#timezone").fill("Asia/Kuala_Lumpur")
    page.locator("#start").fill(field(start.replace(tzinfo=None)))
    page.locator("#end").fill(field((start + timedelta(hours=2)).replace(tzinfo=None)))
    page.locator("#capacity").fill("50")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/manage/events/[^/]+/"))
    slug = re.search(r"/manage/events/([^/]+)/", page.url).group(1)
    page.get_by_role("button", name="Publish").first.click()
    return slug


def _participant(new_context, stack, slug, name, email, group):
    page = new_context(timezone_id="Asia/Kuala_Lumpur").new_page()
    page.goto(f"/events/{slug}/register")
    fill_registration(page, name=name, email=email, country="Malaysia", group=group)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    manage = manage_path(stack, stack.mailbox.wait_for(email, "registered"), slug)
    page.goto(manage)
    page.get_by_role("link", name="Open the live room").click()
    page.wait_for_url(re.compile(rf"/events/{slug}/live$"))
    return page


def test_live_room_updates_without_reloading(stack, new_context, screenshots):
    shoot = screenshots("live")
    moderator = new_context().new_page()
    login_as(moderator, *ORGANISER)
    slug = _create_event(moderator)
    amina, wei = (_participant(new_context, stack, slug, *p) for p in PEOPLE)

    amina.get_by_role("textbox", name="Your question").fill(
        "Who funds the repair cafés?"
    )
    amina.get_by_role("button", name="Send my question").click()
    expect(amina.get_by_text("Who funds the repair cafés?").first).to_be_visible()

    moderator.goto(f"/manage/events/{slug}/live")
    question = moderator.locator(".live-question").filter(
        has_text="Who funds the repair cafés?"
    )
    question.get_by_role("button", name="Approve").click()
    # Wei's page, loaded before the approval, shows it without a reload.
    expect(wei.locator("#live-questions")).to_contain_text(
        "Who funds the repair cafés?"
    )
    shoot(wei, "question-appears")

    # Wei votes for it: the page stays (no reload), the count follows.
    wei.evaluate("() => { window.notReloaded = true; }")
    asked = wei.locator("#live-questions .live-question").filter(
        has_text="Who funds the repair cafés?"
    )
    asked.get_by_role("button", name="Vote for this question").click()
    expect(asked.get_by_text("You voted for this question.")).to_be_visible()
    expect(asked).to_contain_text("1 vote")
    assert wei.evaluate("() => window.notReloaded === true")

    moderator.get_by_label("Single choice").check()
    moderator.locator("#prompt").fill("Where do we start?")
    moderator.locator("#options").fill("Food\nPlastic")
    moderator.get_by_role("button", name="Prepare the poll").click()
    moderator.get_by_role("button", name="Launch").click()
    moderator.get_by_role("button", name="Show results to participants").click()
    for page in (amina, wei):
        expect(page.locator("#live-polls")).to_contain_text("Where do we start?")
    amina.get_by_label("Plastic").check()
    amina.get_by_role("button", name="Send my answer").click()
    # The live count reaches Wei's open poll from the state document.
    expect(wei.locator("#live-polls .live-poll-results")).to_contain_text("1 answer")
    expect(wei.get_by_role("button", name="Send my answer")).to_be_visible()
    moderator.get_by_role("button", name="Close").click()
    expect(wei.locator("#live-polls")).to_contain_text("This poll is closed.")
    expect(wei.locator("#live-polls")).to_contain_text("1 answer")
    shoot(wei, "poll-results")
