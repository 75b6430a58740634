"""The thank-you page after a keyboard-only registration (issue 21, items 6, 10).

From the event page to the thank-you page with the keyboard alone, in a
browser whose zone (Europe/Berlin) is not the event's (Asia/Kuala_Lumpur):
the event's time in its own zone and in UTC always, the visitor's time
rewritten by the page's script when the form's zone was the event's, and
server-rendered when the form named another; calendar links with nothing
personal; "Send it again" queues one message and refuses the next. At 1280
and 360 px, axe-clean. Screenshots: test-artifacts/screenshots/thank-you/.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, assert_accessible
from tests.e2e.steps import expect, expect_flash, stored_rows, tab_to

WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}
BROWSER_ZONE = "Europe/Berlin"


def _type_into(page, selector: str, text: str, *, replace: bool = False) -> None:
    tab_to(page, selector)
    if replace:
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
    page.keyboard.type(text)


def _register_by_keyboard(page, email: str, *, zone: str | None) -> None:
    page.goto(f"/events/{DEMO_SLUG}")
    tab_to(page, ".register-cta a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/events/{DEMO_SLUG}/register$"))
    _type_into(page, "#full_name", "Katrin Weber")
    _type_into(page, "#email", email)
    tab_to(page, "#country")
    page.keyboard.type("Germany")
    if zone is not None:  # else the script has filled in the browser's zone
        _type_into(page, "#timezone", zone, replace=True)
        page.keyboard.press("Escape")  # close the zone suggestions
    expect(page.locator("#timezone")).to_have_value(zone or BROWSER_ZONE)
    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, "input[data-stakeholder-type]")
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == "research":
            break
        page.keyboard.press("ArrowDown")
    expect(
        page.locator("input[data-stakeholder-type][value='research']")
    ).to_be_checked()
    tab_to(page, "#consent_privacy")
    page.keyboard.press("Space")
    tab_to(page, "form.registration-form button[type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def _outbox_keys(stack, email: str) -> list[str]:
    rows = stored_rows(
        stack,
        "SELECT dedup_key FROM outbound_emails WHERE recipient = :email ORDER BY id",
        email=email,
    )
    return [key for (key,) in rows]


def test_the_thank_you_page_by_keyboard_in_another_zone(
    stack, new_context, audit, screenshots
):
    shoot = screenshots("thank-you")
    findings: list[str] = []
    for name, (width, height) in WIDTHS.items():
        viewport = {"width": width, "height": height}
        email = f"katrin.{name}@example.de"
        page = new_context(viewport=viewport, timezone_id=BROWSER_ZONE).new_page()
        # On the desktop the visitor keeps the event's zone in the form, so the
        # page's script shows their browser's time; on the phone the form says
        # Berlin, so the server writes it.
        _register_by_keyboard(
            page, email, zone="Asia/Kuala_Lumpur" if name == "desktop" else None
        )
        expect(page.locator(".registration-outcome")).to_contain_text(
            re.compile("seat is confirmed|waiting list")
        )
        when = page.locator(".thanks-when")
        expect(when).to_contain_text("Kuala Lumpur time (UTC+8)")
        expect(when).to_contain_text(re.compile(r"\d\d:\d\d–\d\d:\d\d UTC"))
        if name == "desktop":
            rewritten = page.locator("time.viewer-time")
            expect(rewritten).to_be_visible()
            expect(rewritten).to_contain_text("Your time (Europe/Berlin)")
        else:
            expect(page.locator(".visitor-time")).to_contain_text(
                "Your time (Europe/Berlin)"
            )
        for link in page.locator(".calendar-links a").all():
            href = link.get_attribute("href")
            assert "/registration/" not in href and "zoom" not in href, href
        expect(page.locator(".thanks-message")).to_contain_text(email)
        expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        shoot(page, f"{name}-thank-you")

        # Didn't arrive? The button, by keyboard: one more message, then a refusal.
        tab_to(page, ".thanks-message button[type='submit']")
        page.keyboard.press("Enter")
        expect_flash(page, f"We have sent it again to {email}.")
        keys = _outbox_keys(stack, email)
        assert len(keys) == 2 and keys[1].endswith(":resend1"), keys
        shoot(page, f"{name}-sent-again")
        tab_to(page, ".thanks-message button[type='submit']")
        page.keyboard.press("Enter")
        expect_flash(page, "We sent it again less than 2 minutes ago")
        assert _outbox_keys(stack, email) == keys
        thanks_path = page.url.split(stack.base_url, 1)[-1]

        checker = new_context(
            viewport=viewport, bypass_csp=True, timezone_id=BROWSER_ZONE
        ).new_page()
        findings += audit(checker, thanks_path)
    assert_accessible(findings)
