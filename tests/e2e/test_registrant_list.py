"""The registrant list with the keyboard alone (issue 21, items 8 and 10).

On its own event (made through the pages, three people registered through the
public form), the organiser sorts by name, selects all matching registrants
and checks them in, Tab, Enter, Space and arrows only; the rows are read back
from the database. The row menu is measured in the browser: open, it lies
inside the window at 1280 px and at 360 px. axe-core checks the list and the
dashboard (with its access needs), screenshots at both widths.
"""

from __future__ import annotations

import re

from tests.clock import field, wall
from tests.e2e.conftest import ORGANISER, assert_accessible, login_as
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    stored_rows,
    submit_registration,
)

TITLE = "Reuse hubs of Subang Jaya — stakeholder check-in"
PEOPLE = [
    ("Zainal Abidin", "zainal.abidin@hub.example.my", "Bahasa Malaysia", False),
    ("Lim Mei Ling", "lim.meiling@hub.example.my", "", True),
    ("Nurul Huda", "nurul.huda@hub.example.my", "bahasa malaysia", True),
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _names(page) -> list[str]:
    return [
        name.split("\n")[0].strip()
        for name in page.locator(
            "table.registrants tbody th[scope=row]"
        ).all_inner_texts()
    ]


def _inside_window(page, selector: str) -> dict:
    """The element's box and the window's width; asserts the box is inside."""
    box = page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return {left: r.left, right: r.right, width: r.width,
                          window: document.documentElement.clientWidth}; }""",
        selector,
    )
    assert box["width"] > 0, box
    assert box["left"] >= 0 and box["right"] <= box["window"], (selector, box)
    return box


def _make_event_with_people(page, new_context) -> str:
    page.goto("/manage/")
    page.get_by_role("button", name="New event").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Time zone").fill("Asia/Kuala_Lumpur")
    page.get_by_label("Starts").fill(field(wall(25, 15)))
    page.get_by_label("Ends").fill(field(wall(25, 17)))
    page.get_by_label("Capacity").fill("40")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    slug = re.search(r"/manage/events/([^/]+)/", page.url).group(1)
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The event is published")
    visitor = new_context().new_page()
    for name, email, interpretation, captions in PEOPLE:
        visitor.goto(f"/events/{slug}/register")
        fill_registration(
            visitor, name=name, email=email, country="Malaysia",
            group="Civil society & NGOs",
        )  # fmt: skip
        visitor.get_by_label("Interpretation needed (language)").fill(interpretation)
        if captions:
            visitor.get_by_label("I need live captions").check()
        assert "Your seat is confirmed." in submit_registration(visitor)
    return slug


def test_sort_select_all_and_check_in_with_the_keyboard(
    stack, new_context, screenshots, audit
):
    shoot = screenshots("registrant-list")
    page = new_context(viewport=DESKTOP).new_page()
    login_as(page, *ORGANISER)
    slug = _make_event_with_people(page, new_context)
    listing = f"/manage/events/{slug}/registrations"
    page.goto(listing)

    # Sort by name, then the other way, from the column heading's link.
    _tab_to(page, "th.sortable a[href*='sort=name']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=name$"))
    assert _names(page) == ["Lim Mei Ling", "Nurul Huda", "Zainal Abidin"]
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Name")
    _tab_to(page, "th.sortable a[href*='sort=-name']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=-name$"))
    assert _names(page) == ["Zainal Abidin", "Nurul Huda", "Lim Mei Ling"]

    # The row menu opens in place, inside the window.
    _tab_to(page, "details.row-menu summary")
    page.keyboard.press("Enter")
    expect(page.locator("details.row-menu[open]")).to_have_count(1)
    _inside_window(page, "details.row-menu[open] summary")
    _inside_window(page, "details.row-menu[open] .row-actions")
    _inside_window(page, "details.row-menu[open] .row-actions > :last-child")
    shoot(page, "desktop-row-menu-open")
    page.keyboard.press("Enter")  # the summary still has the focus: closes it
    expect(page.locator("details.row-menu[open]")).to_have_count(0)

    # All matching registrants, then check them in.
    _tab_to(page, "#scope-ticked")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#scope-all")).to_be_checked()
    expect(page.locator("#bulk-selection")).to_have_text(
        "All 3 matching registrants selected."
    )
    expect(page.locator("input[name=ids]:checked")).to_have_count(3)
    _tab_to(page, "#decision")
    page.keyboard.type("Check")
    expect(page.locator("#decision")).to_have_value("check_in")
    shoot(page, "desktop-all-selected")
    _tab_to(page, "#bulk-form button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, "3 people updated.")
    assert page.url.endswith("sort=-name")
    expect(page.locator("table.registrants tbody tr")).to_have_count(3)
    expect(page.locator("table.registrants")).not_to_contain_text("—")
    stored = stored_rows(
        stack,
        "SELECT r.full_name, r.checked_in_at IS NOT NULL, r.attended "
        "FROM registrations r JOIN events e ON e.id = r.event_id "
        "WHERE e.slug = :slug ORDER BY r.full_name",
        slug=slug,
    )
    assert [(n, bool(c), bool(a)) for n, c, a in stored] == [
        ("Lim Mei Ling", True, True),
        ("Nurul Huda", True, True),
        ("Zainal Abidin", True, True),
    ]
    shoot(page, "desktop-checked-in")

    dashboard = f"/manage/events/{slug}/dashboard"
    page.goto(dashboard)
    needs = page.locator("#access-needs")
    expect(
        needs.get_by_role("row", name=re.compile("Bahasa Malaysia"))
    ).to_contain_text("2")
    expect(needs.get_by_role("row", name=re.compile("All languages"))).to_contain_text(
        re.compile(r"2\s+2\s+0"), use_inner_text=True
    )
    needs.scroll_into_view_if_needed()
    shoot(page, "desktop-dashboard-access-needs")

    phone = new_context(viewport=PHONE).new_page()
    login_as(phone, *ORGANISER)
    phone.goto(f"{listing}?sort=name")
    shoot(phone, "phone-list")
    _tab_to(phone, "details.row-menu summary")
    phone.keyboard.press("Enter")
    _inside_window(phone, "details.row-menu[open] summary")
    _inside_window(phone, "details.row-menu[open] .row-actions")
    _inside_window(phone, "details.row-menu[open] .row-actions > :last-child")
    shoot(phone, "phone-row-menu-open")
    phone.goto(dashboard)
    shoot(phone, "phone-dashboard")
    # axe-core runs in contexts that let its script in (bypass_csp).
    for viewport in (DESKTOP, PHONE):
        auditor = new_context(viewport=viewport, bypass_csp=True).new_page()
        login_as(auditor, *ORGANISER)
        assert_accessible(
            audit(auditor, f"{listing}?sort=-name") + audit(auditor, dashboard)
        )
