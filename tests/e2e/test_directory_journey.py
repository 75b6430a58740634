"""The participant directory on a 360 px phone: a new registrant joins it,
filters it to the Netherlands, asks Jan de Vries (a demo participant) for a
meeting; his email names her without her address. Every directory page fits
the phone's width and is axe-clean. Screenshots: test-artifacts/screenshots/directory/."""

from __future__ import annotations

from tests.clock import field, wall
from tests.e2e.conftest import assert_accessible, text_body
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    manage_path,
    submit_registration,
)

EMAIL = "nur.aisyah@recycle.example"
JAN = "jan.vries@example.nl"
PHONE = {"width": 360, "height": 780}


def _fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_directory_on_a_phone(stack, new_context, screenshots, audit):
    shoot = screenshots("directory")
    page = new_context(viewport=PHONE).new_page()
    page.goto("/events/designing-circular-cities-malaysia/register")
    fill_registration(
        page, name="Nur Aisyah", email=EMAIL, country="Malaysia",
        group="Government & public agencies", answers=("Public agency",),
    )  # fmt: skip
    assert "confirmed" in submit_registration(page)
    manage = manage_path(stack, stack.mailbox.wait_for(EMAIL, "You are registered"))

    page.goto(manage)
    page.get_by_role("link", name="My directory profile").first.click()
    page.get_by_label("List me in the participant directory").check()
    page.get_by_label("Offering").fill("Data on Selangor's recycling rates")
    page.get_by_role("button", name="Save my profile").click()
    expect_flash(page, "Your directory profile is saved.")
    _fits(page)
    shoot(page, "profile")

    page.get_by_role("link", name="Browse the directory").first.click()
    page.get_by_label("Country").select_option(label="Netherlands")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="Jan de Vries")).to_be_visible()
    assert JAN not in page.content()
    _fits(page)
    shoot(page, "directory")

    page.get_by_role("link", name="Ask for a meeting").first.click()
    page.get_by_label("Message").fill("Could we compare deposit-return pilots?")
    page.get_by_label("First proposed time").fill(field(wall(7, 10)))
    _fits(page)
    shoot(page, "request")
    page.get_by_role("button", name="Send the request").click()
    expect_flash(page, "Your request is sent.")
    _fits(page)
    shoot(page, "requests")

    checker = new_context(viewport=PHONE, bypass_csp=True).new_page()
    findings = []
    for suffix in ("/directory/profile", "/directory", "/directory/requests"):
        findings += audit(checker, manage + suffix)
    assert_accessible(findings)

    request_mail = stack.mailbox.wait_for(JAN, "would like to meet you")
    body = text_body(request_mail)
    assert "Nur Aisyah" in body and EMAIL not in request_mail.as_string()
