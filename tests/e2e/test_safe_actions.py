"""Safe actions in the browser (issue 21, item 1).

On its own event (two people registered through the public form), the
organiser cancels one registration from the row menu, reads on the
confirmation page what it does, confirms, and undoes it from the list, with
the keyboard alone; the rows and the outbox are read back from the
database: nothing changed before the confirmation, and the cancellation
email was withdrawn, never sent. Then the same without JavaScript: a bulk
cancellation of both people goes through its server-rendered confirmation
page and is undone. Screenshots at 1280 and 360 px, axe-core on the
confirmation page and on the list showing its undo. Then a move to the
waiting list and an organiser's erasure of a person's data, each from the row
menu through its confirmation page, with the keyboard; axe-core on both pages
(their plain POSTs without JavaScript: tests/registration/test_waitlist_confirm.py
and test_organiser_erasure.py).
"""

from __future__ import annotations

import re

from tests.clock import field, wall
from tests.e2e.conftest import ORGANISER, assert_accessible, login_as
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    stored_rows,
    submit_registration,
    tab_to,
)

TITLE = "Repair cafés of Petaling Jaya — volunteers' briefing"
PEOPLE = [
    ("Farah Iskandar", "farah.iskandar@repair.example.my"),
    ("Tan Wei Jie", "tan.weijie@repair.example.my"),
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


def _make_event(page, new_context) -> str:
    page.goto("/manage/")
    page.get_by_role("button", name="New event").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Time zone").fill("Asia/Kuala_Lumpur")
    page.get_by_label("Starts").fill(field(wall(26, 15)))
    page.get_by_label("Ends").fill(field(wall(26, 17)))
    page.get_by_label("Capacity").fill("40")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    slug = re.search(r"/manage/events/([^/]+)/", page.url).group(1)
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The event is published")
    visitor = new_context().new_page()
    for name, email in PEOPLE:
        visitor.goto(f"/events/{slug}/register")
        fill_registration(
            visitor, name=name, email=email, country="Malaysia",
            group="Civil society & NGOs",
        )  # fmt: skip
        assert "Your seat is confirmed." in submit_registration(visitor)
    return slug


def _statuses(stack, slug: str) -> dict[str, str]:
    return dict(
        stored_rows(
            stack,
            "SELECT r.full_name, r.status FROM registrations r "
            "JOIN events e ON e.id = r.event_id WHERE e.slug = :slug",
            slug=slug,
        )
    )


def _farewells(stack, slug: str) -> list[tuple[str, str]]:
    """(recipient, status) of the cancellation emails of the event."""
    return stored_rows(
        stack,
        "SELECT o.recipient, o.status FROM outbound_emails o "
        "JOIN events e ON e.id = o.event_id "
        "WHERE e.slug = :slug AND o.template = 'registration_cancelled' "
        "ORDER BY o.id",
        slug=slug,
    )


def test_cancel_then_undo_with_the_keyboard(stack, new_context, screenshots, audit):
    shoot = screenshots("safe-actions")
    page = new_context(viewport=DESKTOP).new_page()
    login_as(page, *ORGANISER)
    slug = _make_event(page, new_context)
    listing = f"/manage/events/{slug}/registrations"
    page.goto(f"{listing}?sort=name")
    farah = PEOPLE[0][0]

    # The row menu, then its "Cancel registration…" link: a page, not an act.
    tab_to(page, "details.row-menu summary")
    page.keyboard.press("Enter")
    tab_to(page, "details.row-menu[open] a[href$='/cancel?sort=name']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cancel\?sort=name$"))
    confirm = page.locator("article.confirm")
    expect(confirm.get_by_role("heading")).to_have_text("Cancel 1 registration?")
    expect(confirm).to_contain_text(farah)
    expect(confirm).to_contain_text("This frees 1 seat.")
    expect(confirm).to_contain_text(
        "This emails 1 person that their registration is cancelled."
    )
    expect(confirm).to_contain_text("Nothing is sent for 5 minutes")
    assert _statuses(stack, slug)[farah] == "confirmed"
    shoot(page, "desktop-cancel-confirmation")
    confirmation = page.url

    tab_to(page, "article.confirm button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, "Cancelled 1 registration. You can undo it for 5 minutes.")
    bar = page.locator("[data-undo]")
    expect(bar).to_contain_text(f"Cancelled 1: {farah}.")
    assert page.url.endswith("registrations?sort=name")
    assert _statuses(stack, slug)[farah] == "cancelled"
    assert _farewells(stack, slug) == [(PEOPLE[0][1], "queued")]
    shoot(page, "desktop-undo-offered")

    tab_to(page, "[data-undo] button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, f"Undone: {farah} is back as before, and gets no email.")
    expect(page.locator("[data-undo]")).to_have_count(0)
    assert _statuses(stack, slug) == {farah: "confirmed", PEOPLE[1][0]: "confirmed"}
    assert _farewells(stack, slug) == [(PEOPLE[0][1], "withdrawn")]
    shoot(page, "desktop-undone")

    phone = new_context(viewport=PHONE).new_page()
    login_as(phone, *ORGANISER)
    phone.goto(confirmation)
    shoot(phone, "phone-cancel-confirmation")
    tab_to(phone, "article.confirm button[type=submit]")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-undo]")).to_be_visible()
    shoot(phone, "phone-undo-offered")
    # axe-core (in contexts that let its script in) on both pages, the list
    # with its undo bar still showing, before the phone undoes it.
    for viewport in (DESKTOP, PHONE):
        auditor = new_context(viewport=viewport, bypass_csp=True).new_page()
        login_as(auditor, *ORGANISER)
        assert_accessible(audit(auditor, confirmation) + audit(auditor, listing))
    tab_to(phone, "[data-undo] button[type=submit]")
    phone.keyboard.press("Enter")
    expect_flash(phone, "Undone:")
    assert _statuses(stack, slug)[farah] == "confirmed"


def test_a_bulk_cancellation_without_javascript(stack, new_context, screenshots):
    shoot = screenshots("safe-actions-no-js")
    setup = new_context(viewport=DESKTOP).new_page()
    login_as(setup, *ORGANISER)
    slug = _make_event(setup, new_context)
    listing = f"/manage/events/{slug}/registrations"

    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = new_context(viewport=viewport, java_script_enabled=False).new_page()
        login_as(page, *ORGANISER)
        page.goto(listing)
        for person, _email in PEOPLE:
            tab_to(page, f"input[name=ids][aria-label='Select {person}']")
            page.keyboard.press("Space")
        tab_to(page, "#decision")
        page.keyboard.type("Cancel")
        expect(page.locator("#decision")).to_have_value("cancel")
        tab_to(page, "#bulk-form button[type=submit]")
        page.keyboard.press("Enter")

        confirm = page.locator("article.confirm")
        expect(confirm.get_by_role("heading")).to_have_text("Cancel 2 registrations?")
        expect(confirm).to_contain_text("This frees 2 seats.")
        expect(confirm).to_contain_text(
            "This emails 2 people that their registration is cancelled."
        )
        assert set(_statuses(stack, slug).values()) == {"confirmed"}
        shoot(page, f"{name}-bulk-confirmation")
        tab_to(page, "article.confirm button[type=submit]")
        page.keyboard.press("Enter")
        expect_flash(page, "Cancelled 2 registrations.")
        assert set(_statuses(stack, slug).values()) == {"cancelled"}
        shoot(page, f"{name}-bulk-undo-offered")

        tab_to(page, "[data-undo] button[type=submit]")
        page.keyboard.press("Enter")
        expect_flash(page, "Undone:")
        assert set(_statuses(stack, slug).values()) == {"confirmed"}
    assert {status for _to, status in _farewells(stack, slug)} == {"withdrawn"}


def _erasures(stack, slug: str) -> list[tuple]:
    """(name, status, erased, erased by the organiser) of the event's people."""
    return stored_rows(
        stack,
        "SELECT r.full_name, r.status, r.erased_at IS NOT NULL, u.email "
        "FROM registrations r JOIN events e ON e.id = r.event_id "
        "LEFT JOIN users u ON u.id = r.erased_by_id "
        "WHERE e.slug = :slug ORDER BY r.id",
        slug=slug,
    )


def test_waiting_list_and_erasure_confirmed_with_the_keyboard(
    stack, new_context, screenshots, audit
):
    shoot = screenshots("safe-actions-waitlist-erase")
    page = new_context(viewport=DESKTOP).new_page()
    login_as(page, *ORGANISER)
    slug = _make_event(page, new_context)
    listing = f"/manage/events/{slug}/registrations?sort=name"
    farah, tan = PEOPLE[0][0], PEOPLE[1][0]
    page.goto(listing)

    # "To waiting list…" in Farah's menu: a page that counts, then the act.
    tab_to(page, "details.row-menu summary")
    page.keyboard.press("Enter")
    tab_to(page, "details.row-menu[open] a[href$='/waitlist?sort=name']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/waitlist\?sort=name$"))
    confirm = page.locator("article.confirm")
    expect(confirm.get_by_role("heading")).to_have_text(
        f"Move {farah} to the waiting list?"
    )
    expect(confirm).to_contain_text("This frees 1 seat and leaves it free for you")
    expect(confirm).to_contain_text("behind 0 people.")
    expect(confirm).to_contain_text(
        "This emails 1 person their place on the waiting list."
    )
    assert _statuses(stack, slug)[farah] == "confirmed"
    shoot(page, "desktop-waitlist-confirmation")
    moving = page.url
    tab_to(page, "article.confirm button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, f"{farah} is on the waiting list.")
    assert _statuses(stack, slug)[farah] == "waitlisted"
    told = stored_rows(
        stack,
        "SELECT o.recipient FROM outbound_emails o JOIN events e ON e.id = o.event_id"
        " WHERE e.slug = :slug AND o.template = 'registration_waitlisted'",
        slug=slug,
    )
    assert told == [(PEOPLE[0][1],)]

    # Tan asked by email to have their data erased: from their row's menu.
    tab_to(page, "tbody tr:nth-child(2) details.row-menu summary")
    page.keyboard.press("Enter")
    tab_to(page, "details.row-menu[open] a[href$='/erase?sort=name']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/erase\?sort=name$"))
    confirm = page.locator("article.confirm")
    expect(confirm.get_by_role("heading")).to_have_text(
        f"Erase the personal data of {tan}?"
    )
    expect(confirm).to_contain_text("0 survey responses given by name are deleted.")
    expect(confirm).to_contain_text(
        "the first person on the waiting list who fits gets it, with an email "
        "(1 waiting)"
    )
    expect(confirm).to_contain_text("This cannot be undone.")
    assert all(not erased for _n, _s, erased, _by in _erasures(stack, slug))
    shoot(page, "desktop-erase-confirmation")
    erasing = page.url
    for viewport in (DESKTOP, PHONE):
        auditor = new_context(viewport=viewport, bypass_csp=True).new_page()
        login_as(auditor, *ORGANISER)
        assert_accessible(audit(auditor, moving) + audit(auditor, erasing))
    phone = new_context(viewport=PHONE).new_page()
    login_as(phone, *ORGANISER)
    phone.goto(erasing)
    shoot(phone, "phone-erase-confirmation")

    tab_to(page, "article.confirm button[type=submit]")
    page.keyboard.press("Enter")
    expect_flash(page, f"The personal data of {tan} is erased.")
    rows = _erasures(stack, slug)
    assert rows == [
        (farah, "confirmed", False, None),  # the freed seat went to her
        ("Erased participant", "cancelled", True, ORGANISER[0]),
    ]
    expect(page.locator("[data-erased]")).to_contain_text("Data erased on")
    shoot(page, "desktop-erased")
