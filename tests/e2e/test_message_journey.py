"""Messages to many people, with the keyboard alone: the organiser names the
sender of the event's emails, writes a message (the confirmed people are
chosen for them, each status with its count), previews it for one real
recipient, sends themself a test, and sends it. axe-core on each step; the
pages at 1280 and 360 px; the email, with a 120-character link, inside a
phone's screen.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    AXE_BLOCKING,
    DEMO_SLUG,
    ORGANISER,
    assert_accessible,
    login_as,
)
from tests.e2e.steps import expect, fill_registration, submit_registration

MANAGE = f"/manage/events/{DEMO_SLUG}"
SENDER = "Petaling Jaya City Council via Consult"
REPLY_TO = "consultation@mbpj.example.my"
LINK = "https://www.mbpj.example.my/" + "circular-economy-roadmap-" * 3 + "x" * 17
SUBJECT = "Slides for Thursday"
PERSON = ("Farah Keyboard", "farah.keyboard@message.example")


def _tab_to(page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _axe(page, axe_source: str) -> list[str]:
    """Serious and critical axe findings on the page as it is (after a POST too)."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url}: [{v['impact']}] {v['id']} — {v['help']}"
        for v in results["violations"]
        if v["impact"] in AXE_BLOCKING
    ]


def _register_someone(new_context) -> None:
    page = new_context().new_page()
    page.goto(f"/events/{DEMO_SLUG}/register")
    fill_registration(
        page, name=PERSON[0], email=PERSON[1], country="Malaysia",
        group="Government & public agencies", answers=("Local / municipal",),
    )  # fmt: skip
    assert "Your seat is confirmed." in submit_registration(page)


def test_a_message_checked_tested_and_sent_with_the_keyboard(
    stack, new_context, screenshots, axe_source
):
    _register_someone(new_context)
    shoot = screenshots("message")
    page = new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}
    ).new_page()
    login_as(page, *ORGANISER)
    findings = []

    # The sender of the event's emails.
    page.goto(f"{MANAGE}/email-sender")
    for selector, text in (("#sender_name", SENDER), ("#reply_to", REPLY_TO)):
        _tab_to(page, selector)
        page.keyboard.type(text)
    _tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("the event’s next emails use this sender")).to_be_visible()
    findings += _axe(page, axe_source)
    shoot(page, "sender-desktop")

    # Only the person registered above: the list's search narrows the message.
    page.goto(f"{MANAGE}/registrations/message?q={PERSON[1]}")
    expect(page.locator("#statuses-confirmed")).to_be_checked()
    expect(page.locator("#statuses-waitlisted")).not_to_be_checked()
    expect(page.locator('li[data-status="confirmed"]')).to_contain_text("1 person")
    expect(page.get_by_role("status")).to_contain_text("goes to 1 person")
    findings += _axe(page, axe_source)
    shoot(page, "form-desktop")
    _tab_to(page, "#subject")
    page.keyboard.type(SUBJECT)
    _tab_to(page, "#body")
    page.keyboard.type(f"Please read them first:\n\n{LINK}")
    # Enter in the subject reviews: it never sends.
    _tab_to(page, "#subject")
    page.keyboard.press("Enter")
    review = page.locator("#review")
    expect(review).to_contain_text("This emails 1 person.")
    expect(review).to_contain_text(f"The message exactly as {PERSON[0]}")
    expect(review.locator("[data-preview-text]")).to_contain_text(LINK)
    frame = page.frame_locator(".email-preview-frame")
    expect(frame.get_by_text("Please read them first:")).to_be_visible()
    findings += _axe(page, axe_source)
    shoot(page, "review-desktop")

    # A test to the organiser alone.
    _tab_to(page, "button[name=test]")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"A test is on its way to {ORGANISER[0]}")).to_be_visible()
    expect(page.locator("#subject")).to_have_value(SUBJECT)  # nothing typed is lost
    test = stack.mailbox.wait_for(ORGANISER[0], f"[Test] {SUBJECT}")
    assert test["From"].addresses[0].display_name == SENDER
    assert test["From"].addresses[0].addr_spec == "no-reply@consult.example"
    assert str(test["Reply-To"]) == REPLY_TO
    assert stack.mailbox.to(PERSON[1]) == [] or all(
        SUBJECT not in str(m["Subject"]) for m in stack.mailbox.to(PERSON[1])
    )

    # The email, with its 120-character link, fits a phone's screen.
    assert len(LINK) == 120
    html = test.get_body(("html",)).get_content()
    phone = new_context(viewport={"width": 360, "height": 800}).new_page()
    phone.set_content(html)
    expect(phone.get_by_text(LINK).first).to_be_visible()
    shoot(phone, "email-phone")

    # Review again, then send.
    _tab_to(page, "main form button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    expect(page.locator("#review")).to_contain_text("This emails 1 person.")
    _tab_to(page, "button[name=send]")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("1 message queued"))).to_be_visible()
    sent = stack.mailbox.wait_for(PERSON[1], SUBJECT)
    assert sent["From"].addresses[0].display_name == SENDER
    assert str(sent["Reply-To"]) == REPLY_TO
    assert_accessible(findings)


def test_the_message_pages_fit_a_phone(stack, new_context, screenshots):
    shoot = screenshots("message-phone")
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    login_as(page, *ORGANISER)
    page.goto(f"{MANAGE}/email-sender")
    shoot(page, "sender-phone")
    page.goto(f"{MANAGE}/registrations/message")  # previews only: sends nothing
    shoot(page, "form-phone")
    page.locator("#subject").fill(SUBJECT)
    page.locator("#body").fill(f"Please read them first:\n\n{LINK}")
    page.get_by_role("button", name="Preview before sending").click()
    expect(page.locator("#review")).to_contain_text("This emails")
    frame = page.frame_locator(".email-preview-frame")
    expect(frame.get_by_text("Please read them first:")).to_be_visible()
    shoot(page, "review-phone")
