"""axe-core on the public, participant and main organiser pages; keyboard-only registration.

axe runs inside Chromium on the served pages. The strict Content Security Policy
refuses injected scripts, so only the contexts that run axe bypass it
(`bypass_csp=True`); every other context in the journeys keeps it and fails on a
violation. Serious and critical findings fail; each page's list is reported.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import (
    expect,
    fill_registration,
    manage_path,
    submit_registration,
    tab_to,
)

MANAGE = f"/manage/events/{DEMO_SLUG}"


def _library_entry(page) -> str:
    page.goto("/library")
    return page.locator("main a[href^='/library/']").first.get_attribute("href")


def _publish_results(organiser) -> None:
    """Publish the demo's results page (once) so that it can be checked."""
    organiser.goto(f"{MANAGE}/dashboard")
    publish = organiser.get_by_role("button", name="Publish the results page")
    if publish.count():
        publish.click()
        expect(organiser.get_by_text("Public: version")).to_be_visible()


def test_public_pages(new_context, audit):
    page = new_context(bypass_csp=True).new_page()
    organiser = new_context().new_page()
    login_as(organiser, *ORGANISER)
    _publish_results(organiser)
    paths = [
        "/",
        f"/events/{DEMO_SLUG}",
        f"/events/{DEMO_SLUG}/register",
        f"/events/{DEMO_SLUG}/challenges",
        f"/events/{DEMO_SLUG}/contribute",
        f"/events/{DEMO_SLUG}/results",
        "/library",
        "/library?q=plastic",
        _library_entry(page),
        "/auth/login",
    ]
    findings = [finding for path in paths for finding in audit(page, path)]
    assert_accessible(findings)


def test_participant_pages(stack, new_context, audit):
    page = new_context(bypass_csp=True).new_page()
    email = "rahim.yusof@a11y.example"
    page.goto(f"/events/{DEMO_SLUG}/register")
    fill_registration(
        page, name="Rahim Yusof", email=email, country="Malaysia",
        group="Government & public agencies", answers=("Local / municipal",),
    )  # fmt: skip
    assert "Your seat is confirmed." in submit_registration(page)
    findings = audit(page, page.url)  # the thank-you page, reloaded by GET
    confirmation = stack.mailbox.wait_for(email, "You are registered")
    manage = manage_path(stack, confirmation)
    page.goto(manage)
    survey = page.get_by_role("link", name="Before the webinar: your expectations")
    survey = survey.get_attribute("href")
    paths = [
        manage,
        f"{manage}/challenges",
        f"{manage}/priorities",
        f"{manage}/inputs",
        f"{manage}/inputs/new",
        survey,
    ]
    findings += [finding for path in paths for finding in audit(page, path)]
    assert_accessible(findings)


def test_organiser_pages(new_context, audit):
    page = new_context(bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    page.goto(f"{MANAGE}/surveys")
    survey = page.get_by_role("link", name="Before the webinar: your expectations")
    survey = survey.get_attribute("href")
    paths = [
        "/manage/",
        f"{MANAGE}/",
        f"{MANAGE}/dashboard",
        f"{MANAGE}/registrations",
        f"{MANAGE}/attendance",
        f"{MANAGE}/challenges",
        f"{MANAGE}/challenges/inputs",
        f"{MANAGE}/challenges/experts",
        f"{MANAGE}/surveys",
        survey,
        f"{survey}/results",
        f"{MANAGE}/notifications/plan",
        f"{MANAGE}/report",
    ]
    findings = [finding for path in paths for finding in audit(page, path)]
    assert_accessible(findings)


def test_registration_with_the_keyboard_alone(stack, new_context, screenshots):
    shoot = screenshots("keyboard")
    page = new_context().new_page()
    page.goto(f"/events/{DEMO_SLUG}/register")
    email = "aminah.keyboard@a11y.example"
    for selector, text in (
        ("#full_name", "Aminah Keyboard"),
        ("#email", email),
        ("#organisation", "Selangor Waste Forum"),
        ("#country", "Malaysia"),  # type-ahead picks the option
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "input[name=type_key][value=government]")
    page.keyboard.press("Space")
    # The government question appears once the group is chosen.
    tab_to(page, "input[name=q_1]")
    page.keyboard.press("Space")
    tab_to(page, "#consent_privacy")
    page.keyboard.press("Space")
    tab_to(page, "form.registration-form button[type=submit]")
    shoot(page, "form-filled")
    expect(page.locator("#country")).to_have_value("MY")
    expect(page.locator("input[name=type_key][value=government]")).to_be_checked()
    expect(page.locator("#consent_privacy")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.locator(".registration-outcome")).to_have_text(
        re.compile("Your seat is confirmed.")
    )
    shoot(page, "registered")
    stack.mailbox.wait_for(email, "You are registered")


def test_pages_fit_a_phone_screen(new_context):
    """Nothing widens a page past a 390px window: wide tables scroll in their box."""
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    login_as(page, *ORGANISER)
    paths = [
        "/",
        f"/events/{DEMO_SLUG}",
        f"/events/{DEMO_SLUG}/register",
        f"/events/{DEMO_SLUG}/challenges",
        "/library",
        "/manage/",
        f"{MANAGE}/",
        f"{MANAGE}/dashboard",
        f"{MANAGE}/registrations",
        f"{MANAGE}/contributions",
        f"{MANAGE}/challenges/inputs",
        f"{MANAGE}/surveys",
        f"{MANAGE}/report",
        "/manage/overview",
    ]
    too_wide = []
    for path in paths:
        page.goto(path)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        if wide > 390:
            too_wide.append(f"{path}: {wide}px")
    assert not too_wide, too_wide
