"""A participant from the private sector, from the home page to cancelling.

The demo caps the private sector at twelve seats, all taken, so the new
registrant lands on the waiting list; the organiser gives them a seat beyond
the cap, which sends the confirmation email the journey continues from.
"""

from __future__ import annotations

import re

from icalendar import Calendar

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, login_as, text_body
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    give_seat,
    manage_path,
    submit_registration,
)

EMAIL = "nadia.rahman@packaging.example"
NAME = "Nadia Rahman"
TITLE = "Designing Circular Cities in Malaysia"


def test_participant_journey(stack, new_context, screenshots):
    shoot = screenshots("participant")
    page = new_context().new_page()

    page.goto("/")
    shoot(page, "home")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    shoot(page, "event")

    page.get_by_role("button", name="Register", exact=True).click()
    expect(page).to_have_url(re.compile(f"/events/{DEMO_SLUG}/register$"))
    fill_registration(
        page, name=NAME, email=EMAIL, country="Malaysia", group="Private sector",
        answers=("Packaging and plastics", "Small (10-49)"),
    )  # fmt: skip
    shoot(page, "registration-form")
    outcome = submit_registration(page)
    shoot(page, "registered")

    if "waiting list" in outcome:
        # The private sector's cap is reached: the organiser makes room.
        assert "Private sector" in outcome, outcome
        waiting = stack.mailbox.wait_for(EMAIL, "waiting list")
        assert "position" in text_body(waiting)
        organiser = new_context().new_page()
        login_as(organiser, *ORGANISER)
        give_seat(organiser, EMAIL)
        shoot(organiser, "organiser-gives-seat")
        confirmation = stack.mailbox.wait_for(EMAIL, "A seat is free for you")
    else:
        assert "Your seat is confirmed." in outcome, outcome
        confirmation = stack.mailbox.wait_for(EMAIL, "You are registered")
    body = text_body(confirmation)
    assert "confirmed" in body
    manage = manage_path(stack, confirmation)

    page.goto(manage)
    expect(page.get_by_text("Your seat is confirmed.")).to_be_visible()
    expect(page.get_by_text(EMAIL)).to_be_visible()
    shoot(page, "manage-page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Add to calendar \(\.ics\)")).click()
    invite = Calendar.from_ical(download_info.value.path().read_bytes())
    events = list(invite.walk("VEVENT"))
    assert len(events) == 1
    assert TITLE in str(events[0]["SUMMARY"])
    attendees = events[0].get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert any(EMAIL in str(a).lower() for a in attendees), attendees

    page.get_by_role("link", name="Prioritise the challenges").click()
    points = page.locator("form.priority-form input[type=number]")
    expect(points).to_have_count(5)
    for field, value in zip(points.all(), ("4", "3", "2", "1", "0"), strict=True):
        field.fill(value)
    expect(page.get_by_text("All points distributed.")).to_be_visible()
    shoot(page, "priorities")
    page.get_by_role("button", name="Save my priorities").click()
    expect_flash(page, "Your priorities are saved.")

    page.goto(manage)
    page.get_by_role("link", name="Submit an input").click()
    page.get_by_label("Kind of input").select_option(label="Problem insight")
    page.get_by_label("Challenge").select_option(
        label="Plastic pollution and packaging"
    )
    page.get_by_label("Title").fill("Refill stations need shop space")
    page.get_by_label("Your input").fill(
        "Small shops in SS2 would sell refills, but **there is no room** for the "
        "dispensers. A shared refill kiosk at the market could work."
    )
    shoot(page, "input-form")
    page.get_by_role("button", name="Submit input").click()
    expect_flash(page, "your input is saved and awaits moderation")
    expect(
        page.get_by_role("heading", name="Refill stations need shop space")
    ).to_be_visible()
    shoot(page, "input-submitted")

    page.goto(manage)
    page.get_by_role("link", name="Before the webinar: your expectations").click()
    page.get_by_label("Learn from European cities' best practices").check()
    page.get_by_label("Find partners for pilot projects").check()
    page.get_by_label("Moderately familiar").check()
    page.get_by_label("Plastic pollution and packaging").check()
    page.get_by_label("Thematic working groups").check()
    shoot(page, "survey")
    page.get_by_role("button", name="Submit my answers").click()
    expect_flash(page, "Your answers are recorded.")
    shoot(page, "survey-answered")

    page.goto(manage)
    page.get_by_label("Yes, cancel my registration").check()
    page.get_by_role("button", name="Cancel my registration").click()
    expect_flash(page, "Your registration is cancelled.")
    shoot(page, "cancelled")
    cancelled = stack.mailbox.wait_for(EMAIL, "cancel")
    calendars = [
        part for part in cancelled.walk() if part.get_content_type() == "text/calendar"
    ]
    assert calendars, "the cancellation carries the calendar cancellation"
    assert b"METHOD:CANCEL" in calendars[0].get_payload(decode=True)
