"""The consultation report in the browser (issue 22, 1): the organiser writes
the key findings and next steps on the report page with the keyboard alone,
the saved version is stored and the report shows it, axe finds nothing
serious, and screenshots at desktop (1280 px) and phone (360 px) width."""

from __future__ import annotations

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import expect, expect_flash, stored_rows, tab_to

REPORT = f"/manage/events/{DEMO_SLUG}/report"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
FINDINGS = "Plastics come first for the city; the informal sector puts e-waste first."
STEPS = "Pilot a deposit scheme with the waste pickers by June."
NOTES_SQL = (
    "SELECT n.number, n.key_findings, n.next_steps, n.saved_by_name"
    " FROM dashboard_report_notes n JOIN events e ON e.id = n.event_id"
    " WHERE e.slug = :slug ORDER BY n.number"
)


def test_the_organiser_writes_key_findings_on_the_report_page(
    stack, new_context, screenshots, audit
):
    shoot = screenshots("report-key-findings")
    before = stored_rows(stack, NOTES_SQL, slug=DEMO_SLUG)
    page = new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    assert_accessible(audit(page, REPORT))
    expect(page.get_by_role("heading", name="Executive summary")).to_be_visible()
    shoot(page, "report-desktop")

    # Keyboard only: into the first field, type, on to the second, save.
    tab_to(page, "#key_findings")
    page.keyboard.press("Control+A")
    page.keyboard.type(f"**{FINDINGS}**")
    tab_to(page, "#next_steps")
    page.keyboard.press("Control+A")
    page.keyboard.type(f"- {STEPS}")
    shoot(page, "editing-desktop")
    tab_to(page, "#notes form button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, "saved as a new version")

    rows = stored_rows(stack, NOTES_SQL, slug=DEMO_SLUG)
    assert len(rows) == len(before) + 1
    number, findings, steps, who = rows[-1]
    assert (number, findings, steps) == (
        len(before) + 1,
        f"**{FINDINGS}**",
        f"- {STEPS}",
    )
    assert who

    # The report shows them, from Markdown (bold, a list), never raw.
    section = page.locator("section.report-notes")
    expect(
        section.get_by_role("heading", name="Key findings", exact=True)
    ).to_be_visible()
    expect(section.locator("strong", has_text=FINDINGS)).to_be_visible()
    expect(section.locator("li", has_text=STEPS)).to_be_visible()
    expect(page.get_by_text(f"Version {number} of {number}")).to_be_visible()
    assert_accessible(audit(page, REPORT))
    page.locator("section.report-notes").scroll_into_view_if_needed()
    shoot(page, "saved-desktop")

    phone = new_context(viewport=PHONE).new_page()
    login_as(phone, *ORGANISER)
    phone.goto(REPORT)
    shoot(phone, "report-phone")
    phone.locator("#notes").scroll_into_view_if_needed()
    shoot(phone, "editor-phone")
    phone.locator("section.report-notes").scroll_into_view_if_needed()
    shoot(phone, "saved-phone")
