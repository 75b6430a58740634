"""Seats left, read before registering, on a desktop and on a phone (issue 21, items 4, 10).

The demo event has 300 seats: its page and its form say how many are left,
inside the window at 1280 and 360 px, axe-clean; from the seats a keyboard
goes on to the Register button. Screenshots: test-artifacts/screenshots/seats-left/.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, assert_accessible
from tests.e2e.steps import expect, tab_to

WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}
SEATS = re.compile(r"\d+ seats? left of 300\.")


def _inside_the_window(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_seats_left_on_the_event_page_and_the_form(new_context, audit, screenshots):
    shoot = screenshots("seats-left")
    findings: list[str] = []
    for name, (width, height) in WIDTHS.items():
        viewport = {"width": width, "height": height}
        page = new_context(viewport=viewport).new_page()
        page.goto(f"/events/{DEMO_SLUG}")
        seats = page.get_by_role("region", name="Seats")
        expect(seats).to_contain_text(SEATS)
        _inside_the_window(page, ".seats-left")
        page.locator(".seats-left").scroll_into_view_if_needed()
        shoot(page, f"{name}-event-page")

        # The seats are read, not a stop for the keyboard: Tab goes on to Register.
        tab_to(page, ".register-cta a")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/events/{DEMO_SLUG}/register$"))
        expect(page.get_by_role("region", name="Seats")).to_contain_text(SEATS)
        _inside_the_window(page, ".seats-left")
        shoot(page, f"{name}-form")

        # axe runs as an injected script: its own context lets it past the CSP.
        checker = new_context(viewport=viewport, bypass_csp=True).new_page()
        for path in (f"/events/{DEMO_SLUG}", f"/events/{DEMO_SLUG}/register"):
            findings += audit(checker, path)
    assert_accessible(findings)
