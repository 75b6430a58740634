"""The participant directory on a 360 px phone: a new registrant in Malaysia
joins it, filters it to the Netherlands, asks Jan de Vries (a demo
participant in Utrecht) for a meeting; his email names her without her
address. He opens his page from that email in Amsterdam's zone and accepts;
both then get the other's address and an invite, each in their own zone, for
the same instant. Every directory page fits the phone's width and is
axe-clean. Screenshots: test-artifacts/screenshots/directory/."""

from __future__ import annotations

from icalendar import Calendar

from tests.clock import field, wall
from tests.e2e.conftest import assert_accessible, links_in, text_body
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


# The page's width, and what reaches past the phone's edge (for the message).
WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > 360.5) {
      out.push(`${el.tagName}.${el.className} ${Math.round(box.right)}`);
    }
  }
  return [document.documentElement.scrollWidth, out.slice(0, 8)];
}"""


def _fits(page) -> None:
    # Measured once the stylesheets are in: a field can be filled before
    # they load, and a page without its styles is wider (CI saw 376 px).
    page.wait_for_load_state("load")
    wide, culprits = page.evaluate(WIDEST)
    assert wide <= 360, f"{wide}px wide on a 360px phone; past the edge: {culprits}"


def test_directory_on_a_phone(stack, new_context, screenshots, audit):
    shoot = screenshots("directory")
    page = new_context(viewport=PHONE, timezone_id="Asia/Kuala_Lumpur").new_page()
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

    # Jan, in Utrecht, opens his requests page from that email and accepts.
    requests_page = next(
        link for link in links_in(request_mail, stack.base_url)
        if link.endswith("/directory/requests")
    )  # fmt: skip
    jan = new_context(viewport=PHONE, timezone_id="Europe/Amsterdam").new_page()
    jan.goto(requests_page)
    expect(jan.get_by_text("Could we compare deposit-return pilots?")).to_be_visible()
    assert EMAIL not in jan.content()
    _fits(jan)
    shoot(jan, "incoming")
    jan.get_by_role("button", name="Accept").first.click()
    expect_flash(jan, "Accepted: you both get an email")
    _fits(jan)

    hers = stack.mailbox.wait_for(EMAIL, "Your meeting with Jan de Vries is agreed")
    his = stack.mailbox.wait_for(JAN, "Your meeting with Nur Aisyah is agreed")
    assert JAN in text_body(hers) and EMAIL in text_body(his)
    her_start, his_start = _invite_start(hers), _invite_start(his)
    assert her_start == his_start  # one instant ...
    assert str(her_start.tzinfo) == "Asia/Kuala_Lumpur"  # ... in each one's zone
    assert str(his_start.tzinfo) == "Europe/Amsterdam"
    assert her_start.hour != his_start.hour
    assert her_start.replace(tzinfo=None) == wall(7, 10)  # the time she proposed


def _invite_start(message):
    invite = next(
        part for part in message.iter_attachments()
        if part.get_filename() == "meeting.ics"
    )  # fmt: skip
    calendar = Calendar.from_ical(invite.get_payload(decode=True))
    return next(iter(calendar.walk("VEVENT")))["DTSTART"].dt
