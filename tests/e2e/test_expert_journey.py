"""An invited expert's best practice, from the invitation to the public library."""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import emailed_link, expect, expect_flash

EXPERT_EMAIL = "hanna.berg@freiburg.example"
EXPERT_NAME = "Dr. Hanna Berg"
TITLE = "Deposit cups for takeaway food in Freiburg"


def test_expert_journey(stack, new_context, screenshots, audit):
    shoot = screenshots("expert")
    organiser = new_context().new_page()
    login_as(organiser, *ORGANISER)
    organiser.goto(f"/manage/events/{DEMO_SLUG}/challenges")
    organiser.get_by_role("link", name="Experts", exact=True).click()
    organiser.get_by_label("Name").fill(EXPERT_NAME)
    organiser.get_by_label("Email").fill(EXPERT_EMAIL)
    organiser.get_by_label("Personal message").fill(
        "Your city's reusable cup scheme is exactly what Petaling Jaya asks about."
    )
    organiser.get_by_role("button", name="Send invitation").click()
    invited = organiser.get_by_role("row").filter(has_text=EXPERT_EMAIL)
    expect(invited).to_contain_text("Invited")
    shoot(organiser, "organiser-invites")

    invitation = stack.mailbox.wait_for(EXPERT_EMAIL, "invitation to contribute")
    home = emailed_link(stack, invitation, f"/events/{DEMO_SLUG}/expert/")

    expert = new_context().new_page()
    expert.goto(home)
    expect(expert.get_by_label("Your name")).to_have_value(EXPERT_NAME)
    expert.get_by_label("Organisation", exact=True).fill(
        "City of Freiburg, Waste Management"
    )
    expert.get_by_label("City", exact=True).fill("Freiburg")
    expert.get_by_label("Country", exact=True).select_option(label="Germany")
    expert.get_by_label("Your expertise").fill("Reuse systems for food packaging.")
    shoot(expert, "expert-profile")
    expert.get_by_role("button", name="Accept the invitation").click()
    expect_flash(expert, "Your profile is saved.")

    expert.get_by_role("button", name="Submit an input").click()
    expert.get_by_label("Kind of input").select_option(label="Best practice")
    expert.get_by_label("Challenge").select_option(
        label="Plastic pollution and packaging"
    )
    expert.get_by_label("Title").fill(TITLE)
    expert.get_by_label("Your input").fill(
        "Freiburg's **FreiburgCup** is a deposit cup accepted by more than 100 "
        "cafés: customers pay a one-euro deposit and return the cup anywhere."
    )
    expert.get_by_label("City", exact=True).fill("Freiburg")
    expert.get_by_label("Country", exact=True).select_option(label="Germany")
    expert.get_by_label("Organisation", exact=True).fill("City of Freiburg")
    expert.get_by_label("Results", exact=True).fill(
        "Fewer single-use cups in the city centre."
    )
    expert.get_by_label("Show my name and organisation").check()
    shoot(expert, "best-practice-form")
    expert.get_by_role("button", name="Submit input").click()
    expect_flash(expert, "awaits moderation")
    expect(expert.get_by_role("heading", name=TITLE)).to_be_visible()
    shoot(expert, "best-practice-submitted")
    checker = new_context(bypass_csp=True).new_page()
    assert_accessible(
        [f for path in (home, f"{home}/inputs", f"{home}/inputs/new")
         for f in audit(checker, path)]
    )  # fmt: skip

    organiser.goto(f"/manage/events/{DEMO_SLUG}/challenges/inputs?kind=best_practice")
    organiser.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(organiser.get_by_role("heading", name=re.compile(TITLE))).to_be_visible()
    organiser.get_by_role("button", name="Publish", exact=True).click()
    expect_flash(organiser, "Input published.")
    shoot(organiser, "organiser-publishes")

    visitor = new_context().new_page()
    visitor.goto("/library")
    visitor.get_by_role("searchbox", name="Search").fill("FreiburgCup deposit")
    visitor.get_by_role("button", name="Search").click()
    expect(visitor).to_have_url(re.compile(r"/library\?.*q=FreiburgCup"))
    result = visitor.get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    shoot(visitor, "library-search")
    result.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_text("Freiburg").first).to_be_visible()
    expect(visitor.get_by_text(EXPERT_NAME).first).to_be_visible()
    shoot(visitor, "library-entry")
