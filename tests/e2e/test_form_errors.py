"""A form sent with several problems, keyboard only, at 1280 and 360 px (issue 21,
items 5, 10).

The organiser leaves the event form's title and times empty, types a web
address that is not one and a negative capacity, and sends it: the page comes
back with the summary focused (no script), listing every problem, the form's
and the service's together; from the summary a link takes the focus to its
field, and Tab goes on through the form. Nothing was stored. axe-clean in the
error state. Screenshots: test-artifacts/screenshots/form-errors/.
"""

from __future__ import annotations

from tests.e2e.conftest import ORGANISER, assert_accessible, login_as
from tests.e2e.steps import expect, stored_rows, tab_to

WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def _send_a_bad_event(page) -> None:
    page.goto("/manage/events/new")
    tab_to(page, "#title")
    tab_to(page, "#join_url")
    page.keyboard.type("zoom.example.org/j/1")
    tab_to(page, "#capacity")
    page.keyboard.type("-5")
    page.keyboard.press("Enter")  # Enter in a text field sends the form


def test_every_problem_at_once_from_the_keyboard(
    stack, new_context, audit, screenshots
):
    shoot = screenshots("form-errors")
    findings: list[str] = []
    for name, (width, height) in WIDTHS.items():
        viewport = {"width": width, "height": height}
        # axe needs its way past the CSP: this context is only for the audit.
        for bypass in (False, True):
            page = new_context(viewport=viewport, bypass_csp=bypass).new_page()
            login_as(page, *ORGANISER)
            _send_a_bad_event(page)
            summary = page.locator(".error-summary")
            expect(summary).to_contain_text("There are 5 problems with this form")
            if bypass:
                findings += audit(page, None)
                continue
            # The summary has the focus on arrival, without any script. The
            # browser runs autofocus at its next rendering step, which can
            # come after the text is there on a busy machine: wait for it.
            expect(summary).to_be_focused()
            for target in ("title", "start", "end", "join_url", "capacity"):
                expect(summary.locator(f"a[href='#{target}']")).to_have_count(1)
            expect(summary).to_contain_text("starts with https://")  # the service
            shoot(page, f"{name}-summary")

            page.keyboard.press("Tab")
            assert _focused(page, ".error-summary a[href='#title']")
            tab_to(page, ".error-summary a[href='#join_url']")
            page.keyboard.press("Enter")
            expect(page.locator("#join_url")).to_be_focused()
            expect(page.locator("#join_url-error")).to_be_visible()
            shoot(page, f"{name}-field")
            # From the field, Tab goes on through the form.
            page.keyboard.press("Tab")
            assert not _focused(page, "#join_url")
            assert page.evaluate("() => !!document.activeElement.closest('form')")
    assert_accessible(findings)
    rows = stored_rows(
        stack, "select id from events where join_url like '%zoom.example.org/j/1'"
    )
    assert rows == []
