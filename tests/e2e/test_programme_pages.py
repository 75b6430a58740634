"""The demo programme in the browser: its pages fit a phone and pass axe.

The organiser opens the programme's page, its dashboard and a city's record
at 360 px; anyone opens the public programme page. Screenshots check that no
page is wider than the window (``screenshots``).
"""

from __future__ import annotations

from tests.e2e.conftest import ORGANISER, assert_accessible, login_as
from tests.e2e.steps import expect

PHONE = {"width": 360, "height": 780}
SLUG = "international-urban-cooperation-asia"


def test_the_programme_pages_fit_a_phone(stack, new_context, screenshots, audit):
    shoot = screenshots("programme")
    visitor = new_context(viewport=PHONE, bypass_csp=True).new_page()
    visitor.goto(f"/programmes/{SLUG}")
    expect(visitor.locator("#city-pairs")).to_contain_text("Utrecht")
    shoot(visitor, "public-phone")
    assert_accessible(audit(visitor, f"/programmes/{SLUG}"))

    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    for path, step in (
        (f"/manage/programmes/{SLUG}/", "manage-phone"),
        (f"/manage/programmes/{SLUG}/dashboard", "dashboard-phone"),
        ("/manage/cities/petaling-jaya/edit", "city-phone"),
    ):
        page.goto(path)
        shoot(page, step)
        assert_accessible(audit(page, path))
    page.goto(f"/manage/programmes/{SLUG}/dashboard")
    expect(page.locator("#programme-dashboard")).to_contain_text("Designing Circular")
