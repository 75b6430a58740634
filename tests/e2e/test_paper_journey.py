"""A facilitator enters three paper sheets with the keyboard alone, then a
survey sheet.

The demo organiser invites the facilitator through the Facilitators page; the
facilitator chooses a password through the emailed link, prints two
registration forms and a priorities sheet (PDF downloads), then opens the
entry page and, without a mouse click (page.keyboard only, the fields in
focus order), enters two people and the first one's priorities. The three
records are then read from the facilitator's pages and the database. Last,
a sheet of the demo's pre-event survey is printed and entered for the first
person, again by keyboard: the answers are theirs, on paper.
"""

from __future__ import annotations

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, login_as
from tests.e2e.steps import emailed_link, expect, expect_flash, stored_rows

EMAIL = "hidayah.field@example.my"
PASSWORD = "kertas-2026-borang"
SURVEY = "Before the webinar: your expectations"  # the demo's, for the confirmed
PEOPLE = (("Hidayah Osman", "012 555 0101"), ("Kumar Selvam", "012 555 0202"))
# The numbers as stored: E.164, read in the region of the country entered.
STORED_PHONES = ("+60125550101", "+60125550202")


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _tab_to(page, element_id: str, limit: int = 30) -> None:
    """Press Tab until the element with this id has the focus."""
    for _ in range(limit):
        if _focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def _print(page, sheet: str, copies: int) -> None:
    page.locator("#sheet").select_option(label=sheet)
    page.locator("#copies").fill(str(copies))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def _enter_person(page, code: str, name: str, phone: str) -> None:
    expect(page.get_by_label("Sheet code")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Full name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(phone)
    _tab_to(page, "type_key")
    page.keyboard.type("Informal")  # a select chooses by the letters typed
    page.keyboard.press("Tab")
    page.keyboard.type("Malaysia")
    _tab_to(page, "consent_privacy")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect_flash(page, f"saved: {name}")


def test_a_facilitator_enters_three_paper_sheets_by_keyboard(
    stack, new_context, screenshots
):
    shoot = screenshots("paper")
    organiser = new_context().new_page()
    login_as(organiser, *ORGANISER)
    organiser.goto(f"/manage/events/{DEMO_SLUG}/facilitators")
    organiser.locator("#name").fill("Hidayah Field")
    organiser.locator("#email").fill(EMAIL)
    organiser.get_by_label("Language for messages").select_option("en")
    organiser.get_by_role("button", name="Invite facilitator").click()
    expect_flash(organiser, "is a facilitator of this event")

    page = new_context().new_page()
    page.goto(emailed_link(stack, stack.mailbox.wait_for(to=EMAIL), "/auth/reset/"))
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url("**/facilitate/")

    base = f"/facilitate/{DEMO_SLUG}/paper"
    page.goto(f"{base}/")
    _print(page, "Registration form", 2)
    _print(page, "Priorities sheet", 1)
    page.goto(f"{base}/")
    shoot(page, "printed")
    codes = page.locator("table td code").all_inner_texts()
    assert len(codes) == 3
    ballot, second, first = codes  # newest first
    assert "-P" in ballot and "-R" in first and "-R" in second

    # From here on: the keyboard only.
    page.goto(f"{base}/enter")
    _enter_person(page, first, *PEOPLE[0])
    _enter_person(page, second, *PEOPLE[1])
    expect(page.get_by_label("Sheet code")).to_be_focused()
    page.keyboard.type(ballot)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Registration reference")).to_be_focused()
    page.keyboard.type(first)  # the code of the person's registration form
    page.keyboard.press("Tab")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect_flash(page, f"saved: {PEOPLE[0][0]}")
    shoot(page, "entered")

    # The running list shows the three sheets, newest first.
    rows = page.locator("table.entered-sheets tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(ballot)
    expect(rows.nth(0)).to_contain_text(PEOPLE[0][0])
    expect(rows.nth(1)).to_contain_text(second)
    expect(rows.nth(1)).to_contain_text(PEOPLE[1][0])
    expect(rows.nth(2)).to_contain_text(first)

    # The records: two people from paper, and the first one's ballot.
    people = stored_rows(
        stack,
        "SELECT r.full_name, r.phone, r.channel, r.status FROM registrations r"
        " JOIN users u ON u.id = r.facilitated_by_id WHERE u.email = :email"
        " ORDER BY r.id",
        email=EMAIL,
    )
    assert people == [
        (PEOPLE[0][0], STORED_PHONES[0], "paper", "confirmed"),
        (PEOPLE[1][0], STORED_PHONES[1], "paper", "confirmed"),
    ]
    points = stored_rows(
        stack,
        "SELECT p.points, p.channel FROM challenge_priorities p"
        " JOIN registrations r ON r.id = p.registration_id"
        " WHERE r.full_name = :name ORDER BY p.points DESC",
        name=PEOPLE[0][0],
    )
    assert points[:2] == [(6, "paper"), (4, "paper")]
    assert sum(p for p, _ in points) == 10
    page.goto(f"/facilitate/{DEMO_SLUG}/")
    for name, _phone in PEOPLE:
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text(
            "On paper"
        )

    # A survey sheet: the person's reference, then the questions in order.
    page.goto(f"{base}/")
    _print(page, SURVEY, 1)
    page.goto(f"{base}/")
    survey_code = page.locator("table td code").first.inner_text()
    assert "-S" in survey_code
    page.goto(f"{base}/enter")
    expect(page.get_by_label("Sheet code")).to_be_focused()
    page.keyboard.type(survey_code)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Registration reference")).to_be_focused()
    page.keyboard.type(first)
    # The first control of each required question (read, not clicked).
    firsts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.survey-question'))"
        ".slice(0, 3).map(q => q.querySelector('input').id)"
    )
    for control in firsts:
        _tab_to(page, control)
        page.keyboard.press("Space")
    shoot(page, "survey-sheet")
    page.keyboard.press("Enter")
    expect_flash(page, f"saved: {PEOPLE[0][0]}")
    answered = stored_rows(
        stack,
        "SELECT s.channel, u.email FROM survey_responses s"
        " JOIN registrations r ON r.id = s.registration_id"
        " JOIN users u ON u.id = s.facilitated_by_id"
        " WHERE r.full_name = :name AND s.status = 'submitted'",
        name=PEOPLE[0][0],
    )
    assert answered == [("paper", EMAIL)]
