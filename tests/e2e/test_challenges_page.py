"""The public challenges page read on a desktop and on a phone (issue 21, items 7, 10).

A visitor finds inputs with the keyboard alone: words, a kind, the newest
first, then a challenge's own page from the contents and a stakeholder group;
every view is a link (a GET form), checked by axe at both widths.
Screenshots: test-artifacts/screenshots/challenges-page/.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, assert_accessible
from tests.e2e.steps import expect, tab_to

PAGE = f"/events/{DEMO_SLUG}/challenges"
WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}


def _filter_with_the_keyboard(page) -> None:
    tab_to(page, "#filter-q")
    page.keyboard.type("waste")
    tab_to(page, "#filter-kind")
    page.keyboard.type("Problem")  # type-ahead picks "Problem insight"
    tab_to(page, "#filter-sort")
    page.keyboard.type("Newest")
    tab_to(page, ".input-filters button[type=submit]")
    page.keyboard.press("Enter")


def test_challenges_page_filtered_with_the_keyboard(new_context, audit, screenshots):
    shoot = screenshots("challenges-page")
    views: list[str] = []
    for name, (width, height) in WIDTHS.items():
        page = new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(PAGE)
        contents = page.get_by_role("navigation", name="Contents")
        expect(contents.get_by_role("link")).to_have_count(6)  # 5 + general
        expect(page.locator(".input-count")).to_contain_text("published inputs")
        expect(page.locator("details.challenge-inputs[open]")).to_have_count(0)
        shoot(page, f"{name}-overview")

        _filter_with_the_keyboard(page)
        expect(page).to_have_url(
            re.compile(r"q=waste&kind=problem_insight&type=&sort=date")
        )
        expect(page.locator(".input-count")).to_have_text(
            re.compile(r"\d+ of \d+ inputs")
        )
        expect(page.locator("#filter-kind")).to_have_value("problem_insight")
        expect(page.locator("#filter-q")).to_have_value("waste")
        for badge in page.locator(".input-card .badge[class*=kind-]").all():
            expect(badge).to_have_text("Problem insight")
        shoot(page, f"{name}-filtered")
        views.append(page.url)

        tab_to(page, ".challenge-contents a")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"challenge=\d+&kind=problem_insight"))
        expect(page.get_by_role("link", name="← All challenges")).to_be_visible()
        expect(page.locator("details.challenge-inputs[open]")).to_have_count(1)
        tab_to(page, "#filter-type")
        page.keyboard.type("Informal")
        tab_to(page, ".input-filters button[type=submit]")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"challenge=\d+.*&type=\d+"))
        expect(page.locator("#filter-type option:checked")).to_have_text(
            "Informal sector & community groups"
        )
        shoot(page, f"{name}-challenge")
        views.append(page.url)

    findings = []
    for width, height in WIDTHS.values():
        checker = new_context(
            viewport={"width": width, "height": height}, bypass_csp=True
        ).new_page()
        for url in [PAGE, *views]:
            findings += audit(checker, url)
    assert_accessible(findings)
