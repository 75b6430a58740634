"""Steps the journeys share: registering, reading emailed links, giving a seat."""

from __future__ import annotations

import re
import time

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `stack` fixture skips, or fails in CI, with the reason
    Page = expect = None

from sqlalchemy import create_engine, text

from tests.e2e.conftest import DEMO_SLUG, Stack, links_in

# config.py's default, which the journeys' stack keeps.
PAGE_CACHE_SECONDS = 5


def fill_registration(
    page: Page,
    *,
    name: str,
    email: str,
    country: str,
    group: str,
    answers: tuple[str, ...] = (),
) -> None:
    """Fill the registration form: `group` and `answers` are option labels."""
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email", exact=False).first.fill(email)
    page.get_by_label("Country").select_option(label=country)
    page.get_by_label(group, exact=False).check()
    for answer in answers:
        page.get_by_label(answer, exact=True).check()
    page.get_by_label("I have read and accept the privacy notice").check()


def submit_registration(page: Page) -> str:
    """Send the form; returns the outcome sentence of the thank-you page."""
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    return page.locator(".registration-outcome").inner_text()


def emailed_link(stack: Stack, message, fragment: str) -> str:
    """The path of the first link in `message` whose URL contains `fragment`."""
    for link in links_in(message, stack.base_url):
        if fragment in link:
            return link[len(stack.base_url) :]
    raise AssertionError(f"no link containing {fragment!r} in {message['Subject']}")


def manage_path(stack: Stack, message, slug: str = DEMO_SLUG) -> str:
    path = emailed_link(stack, message, f"/events/{slug}/registration/")
    assert re.fullmatch(rf"/events/{slug}/registration/[\w.-]+", path), path
    return path


def give_seat(organiser: Page, email: str, slug: str = DEMO_SLUG) -> None:
    """As an organiser, confirm a waitlisted person beyond their group's cap."""
    organiser.goto(f"/manage/events/{slug}/registrations?q={email}")
    row = organiser.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("Waiting list")
    row.locator("details.row-menu summary").click()  # the row's menu
    row.get_by_label("exceed type cap").check()
    row.get_by_role("button", name=re.compile("Give a seat")).click()
    expect(organiser.get_by_text("now has a seat")).to_be_visible()


def expect_flash(page: Page, text: str) -> None:
    """A flashed message (role=status) containing `text` is shown."""
    expect(page.locator(".flash").filter(has_text=text).first).to_be_visible()


def visit_past_the_page_cache(page: Page, path: str, locator) -> None:
    """Open an anonymous page until `locator(page)` is on it.

    Public event pages are kept for PAGE_CACHE_SECONDS (5) per worker for
    anonymous visitors, so a visitor who arrives seconds after a change may
    be served the page from before it, as in production. The visitor
    reloads, as a person would, for at most two cache windows.
    """
    deadline = time.monotonic() + 2 * PAGE_CACHE_SECONDS + 2
    while True:
        page.goto(path)
        if locator(page).count() or time.monotonic() > deadline:
            break
        page.wait_for_timeout(1000)
    expect(locator(page).first).to_be_visible()


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def stored_rows(stack: Stack, sql: str, **params) -> list[tuple]:
    """Rows the stack's database holds now, read over a connection of its own."""
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()
