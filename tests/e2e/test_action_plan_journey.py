"""From the consultation to the public action plan, in the browser (issue 23, 6).

On the demo consultation, the organiser follows "Start an action from this
input" on the report, checks the prefilled form, adds a second selected input
it builds on, saves, adds a milestone and publishes the action; then anyone
opens the city's public plan and finds the action under its challenge with
its milestone and both inputs linked back. The rows are read back from the
database; axe-core on the editing page and the public page; screenshots at
desktop and phone width.
"""

from __future__ import annotations

import re

from tests.clock import wall
from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import expect, stored_rows

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
TITLE = "Deposit-return points run with the waste pickers"
MILESTONE = "First ten deposit points open"
ACTION_SQL = (
    "SELECT a.id, a.published_at IS NOT NULL, a.kind FROM actions a"
    " WHERE a.title = :title"
)
INPUTS_SQL = (
    "SELECT i.title FROM action_inputs ai JOIN inputs i ON i.id = ai.input_id"
    " WHERE ai.action_id = :action ORDER BY i.title"
)
MILESTONES_SQL = "SELECT title, due_on FROM action_milestones WHERE action_id = :action"


def test_two_selected_inputs_become_a_published_action_on_the_public_plan(
    stack, new_context, screenshots, audit
):
    shoot = screenshots("action-plan")
    page = new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    page.goto(f"/manage/events/{DEMO_SLUG}/report")
    start = page.get_by_role("link", name="Start an action from this input").first
    start.click()
    expect(page.get_by_role("heading", name="New action")).to_be_visible()
    expect(page.get_by_text("Started from the input")).to_be_visible()
    source = re.search(r"“(.+)”", page.locator(".notice").inner_text()).group(1)
    inputs = page.locator("fieldset", has_text="Inputs it builds on")
    expect(inputs.get_by_label(source, exact=True)).to_be_checked()
    second = inputs.locator("input[type=checkbox]:not(:checked)").first
    second_title = inputs.locator(
        f"label[for='{second.get_attribute('id')}']"
    ).inner_text()
    second.check()
    page.locator("#title").fill(TITLE)
    page.locator("#lead_organisation").fill("Petaling Jaya City Council")
    page.locator("#partners").fill("City of Ljubljana\nWaste pickers' cooperative")
    shoot(page, "prefilled-desktop")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Edit action")).to_be_visible()
    assert_accessible(audit(page, page.url))

    due = wall(45).date()
    page.locator("#ms-title").fill(MILESTONE)
    page.locator("#ms-due_on").fill(due.isoformat())
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.locator("ul.milestones")).to_contain_text(MILESTONE)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".badge-published").first).to_be_visible()
    shoot(page, "published-desktop")

    [(action_id, published, _kind)] = stored_rows(stack, ACTION_SQL, title=TITLE)
    assert published
    linked = [t for (t,) in stored_rows(stack, INPUTS_SQL, action=action_id)]
    assert sorted(linked) == sorted([source, second_title.strip()])
    [(milestone, due_on)] = stored_rows(stack, MILESTONES_SQL, action=action_id)
    assert milestone == MILESTONE and str(due_on)[:10] == due.isoformat()

    visitor = new_context(viewport=PHONE, bypass_csp=True).new_page()
    visitor.goto("/cities/petaling-jaya/plan")
    card = visitor.locator("article", has_text=TITLE).first
    expect(card).to_be_visible()
    expect(card).to_contain_text(MILESTONE)
    expect(card.get_by_role("link", name=source)).to_be_visible()
    expect(card.get_by_role("link", name=second_title.strip())).to_be_visible()
    shoot(visitor, "public-plan-phone")
    assert_accessible(audit(visitor, "/cities/petaling-jaya/plan"))
