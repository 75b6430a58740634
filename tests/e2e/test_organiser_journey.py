"""An organiser builds a consultation, publishes it and ends with its report.

Two people register from another browser while the organiser watches; the
attendance comes from the sample Zoom webinar report, whose attendees include
them (tests/registration/data).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.conftest import ORGANISER, login_as
from tests.e2e.steps import expect, expect_flash, fill_registration, submit_registration

ZOOM_REPORT = (
    Path(__file__).resolve().parents[1]
    / "registration"
    / "data"
    / "zoom-webinar-attendee-report.csv"
)
TITLE = "Repair and Reuse in Penang — Stakeholder Consultation"
ZONE = "Asia/Kuala_Lumpur"
# Both appear as attendees in the Zoom report.
PEOPLE = [
    ("Siti Aminah", "siti.aminah@example.my", "Informal sector & community groups"),
    ("Tan Wei Ming", "tan.weiming@example.gov.my", "Government & public agencies"),
]


def wall(moment: datetime) -> str:
    """A datetime-local field's value."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_organiser_journey(stack, new_context, screenshots):
    shoot = screenshots("organiser")
    today = datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    start = (today + timedelta(days=30)).replace(hour=16, minute=0)
    page = new_context().new_page()
    login_as(page, *ORGANISER)
    page.goto("/manage/")
    shoot(page, "events")

    page.get_by_role("button", name="New event").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill(
        "George Town's repair cafés and reuse shops meet the city's planners."
    )
    page.get_by_label("Description").fill(
        "## Why\n\nPenang wants **repair and reuse** in its circular-economy plan.\n\n"
        "- Repair cafés\n- Reuse shops\n- Spare parts"
    )
    page.get_by_label("Topics").fill("Repair\nReuse")
    page.get_by_label("Time zone").fill(ZONE)
    page.get_by_label("Starts").fill(wall(start))
    page.get_by_label("Ends").fill(wall(start + timedelta(hours=2)))
    page.get_by_label("Host city").fill("George Town")
    page.get_by_label("Host country").fill("Malaysia")
    page.get_by_label("Online join URL").fill("https://meet.example.org/j/penang-reuse")
    page.get_by_label("Capacity").fill("50")
    shoot(page, "new-event-form")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    overview = page.url

    page.get_by_role("link", name="Agenda", exact=True).first.click()
    page.get_by_role("button", name="Add session").click()
    page.get_by_label("Title").fill("Repair cafés: what George Town has learnt")
    page.get_by_label("Starts").fill(wall(start))
    page.get_by_label("Ends").fill(wall(start + timedelta(minutes=45)))
    page.get_by_label("Description").fill("Three repair cafés tell their story.")
    page.locator("#speakers-0-name").fill("Lee Mei Fong")
    page.locator("#speakers-0-affiliation").fill("Penang Repair Network")
    shoot(page, "agenda-session-form")
    page.get_by_role("button", name="Add session").click()
    expect_flash(page, "Session added to the agenda.")
    expect(page.get_by_text("Lee Mei Fong").first).to_be_visible()
    shoot(page, "agenda")

    page.get_by_role("link", name="Challenges", exact=True).first.click()
    for title, category in (
        ("Broken appliances end up in landfill", "Electrical & electronic waste"),
        ("Too few places sell second-hand goods", "Other"),
    ):
        page.get_by_label("Title").fill(title)
        page.get_by_label("Category").select_option(label=category)
        page.get_by_label("City that owns the challenge").fill("George Town")
        page.get_by_role("button", name="Add challenge").click()
        expect_flash(page, "Challenge added.")
    expect(
        page.get_by_text("Too few places sell second-hand goods").first
    ).to_be_visible()
    shoot(page, "challenges")

    page.get_by_role("link", name="Surveys", exact=True).first.click()
    page.get_by_role(
        "button", name=re.compile("New survey|Create the first survey")
    ).first.click()
    page.get_by_label("Title").fill("Before we meet")
    page.get_by_label("Kind", exact=True).select_option(label="Before the event")
    page.get_by_label("All confirmed registrants").check()
    page.get_by_label("Opens", exact=True).fill(wall(today - timedelta(hours=1)))
    page.get_by_label("Closes", exact=True).fill(wall(start))
    page.get_by_role("button", name="Create survey").click()
    expect_flash(page, "Survey created.")
    page.get_by_label("Add a question of type", exact=True).select_option(
        label="Single choice"
    )
    page.get_by_role("button", name="Add question").click()
    page.get_by_role("textbox", name="Question").fill(
        "Have you ever had an appliance repaired?"
    )
    page.get_by_label("Add options").fill("Yes, often\nOnce or twice\nNever")
    page.get_by_label("An answer is required").check()
    page.get_by_role("button", name="Add question").click()
    expect_flash(page, "Question added.")
    expect(page.locator("strong", has_text="appliance repaired")).to_be_visible()
    shoot(page, "survey")

    page.goto(overview)
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The event is published")
    shoot(page, "published")
    slug = re.search(r"/manage/events/([^/]+)/", overview).group(1)

    visitor = new_context(timezone_id="Asia/Kuala_Lumpur").new_page()
    visitor.goto("/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_text("Lee Mei Fong").first).to_be_visible()
    shoot(visitor, "public-event-page")
    for name, email, group in PEOPLE:
        visitor.goto(f"/events/{slug}/register")
        fill_registration(
            visitor, name=name, email=email, country="Malaysia", group=group
        )
        assert "Your seat is confirmed." in submit_registration(visitor)
        stack.mailbox.wait_for(email, "You are registered")

    page.goto(f"/manage/events/{slug}/registrations")
    expect(page.get_by_text("2 of 50 seats confirmed")).to_be_visible()
    for _, email, _ in PEOPLE:
        expect(page.get_by_role("row").filter(has_text=email)).to_contain_text(
            "Confirmed"
        )
    shoot(page, "registrations")

    page.get_by_role("link", name="Attendance", exact=True).first.click()
    page.get_by_label("Zoom or Teams attendance report").set_input_files(ZOOM_REPORT)
    page.get_by_label("Time zone of the report").select_option(ZONE)
    page.get_by_label("Minutes needed to count as attended").fill("30")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Check before applying")).to_be_visible()
    expect(page.get_by_text("2 confirmed registrants will be marked")).to_be_visible()
    shoot(page, "attendance-preview")
    # The preview has Apply above and below the unmatched rows; either sends it.
    page.get_by_role("button", name="Apply").first.click()
    expect_flash(page, "2 registrants matched")
    shoot(page, "attendance-imported")

    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    shoot(page, "dashboard")
    # The scheduler prints the PDF: ask for it, wait for the file, then fetch
    # the download link's target with the organiser's cookies.
    dashboard = page.url
    page.get_by_role("button", name="Report as PDF").click()
    page.get_by_role("button", name="Prepare the file").click()
    ready = page.get_by_role("button", name="Download the file")
    expect(ready).to_be_visible(timeout=120_000)
    shoot(page, "report-pdf-ready")
    href = ready.get_attribute("href")
    assert href, "the download is a link"
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF"), pdf[:40]
    assert len(pdf) > 10_000
    page.goto(dashboard)
    page.get_by_role("button", name="Consultation report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    shoot(page, "report")
