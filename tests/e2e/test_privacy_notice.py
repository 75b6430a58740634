"""The privacy notice in the browser (issue 21, 3 and 10): the organiser
edits it with the keyboard alone, a visitor opens it from the consent box with
the keyboard without losing what they typed, axe finds nothing serious, and
screenshots at desktop (1280 px) and phone (360 px) width."""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import (
    expect,
    fill_registration,
    manage_path,
    submit_registration,
)

MANAGE = f"/manage/events/{DEMO_SLUG}/privacy-notice"
NOTICE = f"/events/{DEMO_SLUG}/privacy"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
FACILITATOR = ("facilitator@example.org", "consult-demo")
ADDED = "Questions about your data: privacy@petaling-jaya.example"


def _tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_organiser_edits_the_notice_with_the_keyboard(
    new_context, screenshots, audit
):
    shoot = screenshots("privacy-notice-organiser")
    page = new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    assert_accessible(audit(page, MANAGE))
    before = int(re.search(r"Current version: (\d+)", page.content()).group(1))
    _tab_to(page, "#text_md")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(ADDED)
    shoot(page, "editing-desktop")
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"saved as version {before + 1}")).to_be_visible()
    expect(page.locator("#text_md")).to_have_value(re.compile(re.escape(ADDED)))
    shoot(page, "saved-desktop")
    assert_accessible(audit(page, NOTICE))
    expect(page.get_by_text(ADDED)).to_be_visible()
    shoot(page, "notice-desktop")

    phone = new_context(viewport=PHONE).new_page()
    login_as(phone, *ORGANISER)
    phone.goto(MANAGE)
    shoot(phone, "editing-phone")
    phone.goto(f"{NOTICE}?version={before}")
    expect(phone.get_by_text("This is an earlier version.")).to_be_visible()
    shoot(phone, "earlier-version-phone")


def test_the_consent_link_opens_the_notice_and_keeps_the_form(
    new_context, screenshots, audit
):
    shoot = screenshots("privacy-notice-consent")
    context = new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    assert_accessible(audit(page, f"/events/{DEMO_SLUG}/register"))
    _tab_to(page, "#full_name")
    page.keyboard.type("Nur Keyboard")
    _tab_to(page, "#consent_privacy-help a")
    shoot(page, "consent-link-focused-desktop")
    with context.expect_page() as opened:
        page.keyboard.press("Enter")
    notice = opened.value
    notice.wait_for_load_state()
    assert re.search(r"/privacy\?version=\d+$", notice.url)
    expect(
        notice.get_by_role("heading", name="Privacy notice", exact=True)
    ).to_be_visible()
    shoot(notice, "notice-desktop")
    # The form is where it was, with what was typed.
    expect(page.locator("#full_name")).to_have_value("Nur Keyboard")
    # The footer links to the event's notice, and elsewhere to the site's.
    expect(
        page.locator("footer a", has_text="Privacy notice of this event")
    ).to_have_attribute("href", NOTICE)
    assert_accessible(audit(page, "/privacy"))
    expect(page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()

    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"/events/{DEMO_SLUG}/register")
    phone.locator("#consent_privacy-help a").scroll_into_view_if_needed()
    shoot(phone, "consent-link-phone")
    phone.goto(NOTICE)
    shoot(phone, "notice-phone")


def test_the_manage_page_names_the_version_and_the_download_holds_it(
    stack, new_context, screenshots, audit
):
    shoot = screenshots("privacy-notice-participant")
    page = new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    page.goto(f"/events/{DEMO_SLUG}/register")
    version = page.locator("input[name=notice_version_seen]").get_attribute("value")
    email = "farah.privacy@a11y.example"
    fill_registration(
        page, name="Farah Privacy", email=email, country="Malaysia",
        group="Civil society & NGOs",
    )  # fmt: skip
    submit_registration(page)
    manage = manage_path(stack, stack.mailbox.wait_for(email, "You are registered"))
    assert_accessible(audit(page, manage))
    agreed = page.get_by_text("You agreed to the privacy notice on")
    expect(agreed).to_be_visible()
    expect(agreed.get_by_role("link")).to_have_attribute(
        "href", f"{NOTICE}?version={version}"
    )
    agreed.scroll_into_view_if_needed()
    shoot(page, "manage-desktop")
    data = page.request.get(f"{manage}/data.json").json()
    assert data["consents"]["privacy_notice"]["version"] == version
    assert "Who is responsible" in data["consents"]["privacy_notice"]["text"]

    phone = new_context(viewport=PHONE).new_page()
    phone.goto(manage)
    shoot(phone, "manage-phone")
    phone.goto("/privacy")
    shoot(phone, "site-privacy-phone")


def test_the_other_consent_boxes_link_to_the_notice(new_context, screenshots, audit):
    """Assisted registration (organiser) and a facilitator's: their consent
    boxes link to the notice too; axe-clean, shot at both widths."""
    shoot = screenshots("privacy-notice-other-forms")
    for user, path, name in (
        (ORGANISER, f"/manage/events/{DEMO_SLUG}/registrations/new", "assisted"),
        (FACILITATOR, f"/facilitate/{DEMO_SLUG}/register", "facilitator"),
    ):
        for viewport, width in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page = new_context(viewport=viewport, bypass_csp=True).new_page()
            login_as(page, *user)
            assert_accessible(audit(page, path))
            link = page.locator("#consent_privacy-help a")
            expect(link).to_have_attribute("target", "_blank")
            expect(link).to_have_attribute(
                "href", re.compile(re.escape(NOTICE) + r"\?version=\d+$")
            )
            link.scroll_into_view_if_needed()
            shoot(page, f"{name}-{width}")
