"""Journeys from a database holding only an organiser account (issue 15, 3).

`consult create-organiser` made the account; everything else is made through
the pages by the people who would make it: the organiser creates a Berlin
event, its agenda, caps, a challenge and a survey, and publishes it; a
participant registers through the public form and continues from the emailed
link; the organiser watches the dashboard and downloads the report. A second
journey runs a call for contributions from opening to the accepted session.
Every date comes from the test clock (the server processes share it).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from tests.clock import FIXED_NOW, field, wall
from tests.e2e.conftest import NEW_ORGANISER, login_as, text_body
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    manage_path,
    submit_registration,
    visit_past_the_page_cache,
)

ZONE = "Europe/Berlin"
TITLE = "Kreislaufstadt Berlin: Reparieren statt Wegwerfen"
PARTICIPANT = ("Jonas Becker", "jonas.becker@repaircafe.example")
SURVEY = "Before we meet in Berlin"


def _stored(stack, sql: str, **params) -> list[tuple]:
    """Rows read straight from the stack's database."""
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _create_event(
    page, shoot, *, title: str, days: int, capacity: str, zone: str = ZONE,
    city: tuple[str, str] = ("Berlin", "Germany"),
) -> str:  # fmt: skip
    """Create a draft through the form, 15:00-17:00 in `zone`; returns its slug."""
    page.goto("/manage/")
    shoot(page, "events")
    page.get_by_role("button", name="New event").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill(f"{city[0]}'s practitioners meet its planners.")
    page.get_by_label("Time zone").fill(zone)  # typed; the list only suggests
    page.get_by_label("Starts").fill(field(wall(days, 15)))
    page.get_by_label("Ends").fill(field(wall(days, 17)))
    page.get_by_label("Host city").fill(city[0])
    page.get_by_label("Host country").fill(city[1])
    page.get_by_label("Online join URL").fill(
        "https://meet.example.org/j/berlin-repair"
    )
    page.get_by_label("Capacity").fill(capacity)
    shoot(page, "new-event-form")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    return re.search(r"/manage/events/([^/]+)/", page.url).group(1)


def _add_session(page, *, title: str, days: int, speaker: str) -> None:
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    page.get_by_role("button", name="Add session").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Starts").fill(field(wall(days, 15)))
    page.get_by_label("Ends").fill(field(wall(days, 15, 45)))
    page.locator("#speakers-0-name").fill(speaker)
    page.get_by_role("button", name="Add session").click()
    expect_flash(page, "Session added to the agenda.")


def _publish(page, slug: str) -> None:
    page.goto(f"/manage/events/{slug}/")
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The event is published")


def test_consultation_from_an_empty_database(
    empty_stack, empty_new_context, screenshots
):
    stack, shoot = empty_stack, screenshots("from-empty-consultation")
    name, email = PARTICIPANT
    berlin_now = FIXED_NOW.astimezone(ZoneInfo(ZONE))
    organiser = empty_new_context().new_page()
    login_as(organiser, *NEW_ORGANISER)
    slug = _create_event(organiser, shoot, title=TITLE, days=20, capacity="40")
    _add_session(
        organiser, title="Repair cafés: what Berlin has learnt", days=20,
        speaker="Miriam Schulz",
    )  # fmt: skip
    shoot(organiser, "agenda")

    organiser.get_by_role("link", name="Registration settings", exact=True).click()
    row = organiser.get_by_role("row").filter(has_text="Civil society & NGOs")
    row.get_by_role("link", name=re.compile("Edit")).click()
    organiser.get_by_label("Cap").fill("10")
    organiser.get_by_role("button", name=re.compile("Save")).click()
    expect(
        organiser.get_by_role("row").filter(has_text="Civil society & NGOs")
    ).to_contain_text("10")
    shoot(organiser, "caps")

    organiser.get_by_role("link", name="Challenges", exact=True).first.click()
    organiser.get_by_label("Title").fill("Broken appliances end up in the bin")
    organiser.get_by_label("Category").select_option(
        label="Electrical & electronic waste"
    )
    organiser.get_by_label("City that owns the challenge").fill("Berlin")
    organiser.get_by_role("button", name="Add challenge").click()
    expect_flash(organiser, "Challenge added.")
    organiser.get_by_label("Submissions open").fill(
        field((berlin_now - timedelta(hours=1)).replace(tzinfo=None))
    )
    organiser.get_by_label("Submissions close").fill(field(wall(20, 15)))
    organiser.get_by_role("button", name="Save window and method").click()
    expect(organiser.locator(".flash").first).to_be_visible()
    shoot(organiser, "challenges")

    organiser.get_by_role("link", name="Surveys", exact=True).first.click()
    organiser.get_by_role(
        "button", name=re.compile("New survey|Create the first survey")
    ).first.click()
    organiser.get_by_label("Title").fill(SURVEY)
    organiser.get_by_label("Kind", exact=True).select_option(label="Before the event")
    organiser.get_by_label("All confirmed registrants").check()
    organiser.get_by_label("Opens", exact=True).fill(
        field((berlin_now - timedelta(hours=1)).replace(tzinfo=None))
    )
    organiser.get_by_label("Closes", exact=True).fill(field(wall(20, 15)))
    organiser.get_by_role("button", name="Create survey").click()
    expect_flash(organiser, "Survey created.")
    organiser.get_by_label("Add a question of type", exact=True).select_option(
        label="Single choice"
    )
    organiser.get_by_role("button", name="Add question").click()
    organiser.get_by_role("textbox", name="Question").fill(
        "How often do you repair things yourself?"
    )
    organiser.get_by_label("Add options").fill("Every month\nOnce a year\nNever")
    organiser.get_by_label("An answer is required").check()
    organiser.get_by_role("button", name="Add question").click()
    expect_flash(organiser, "Question added.")
    shoot(organiser, "survey")

    _publish(organiser, slug)
    shoot(organiser, "published")

    visitor = empty_new_context(timezone_id=ZONE).new_page()
    visitor.goto("/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_text("Miriam Schulz").first).to_be_visible()
    shoot(visitor, "public-event-page")
    visitor.get_by_role("button", name="Register", exact=True).click()
    fill_registration(
        visitor, name=name, email=email, country="Germany",
        group="Civil society & NGOs",
    )  # fmt: skip
    shoot(visitor, "registration-form")
    assert "Your seat is confirmed." in submit_registration(visitor)
    shoot(visitor, "registered")
    assert _stored(
        stack,
        "SELECT r.status, t.key, t.cap FROM registrations r "
        "JOIN stakeholder_types t ON t.id = r.stakeholder_type_id "
        "WHERE r.email = :email",
        email=email,
    ) == [("confirmed", "civil_society", 10)]

    confirmation = stack.mailbox.wait_for(email, "You are registered")
    body = text_body(confirmation)
    assert TITLE in body and "Berlin" in body
    visitor.goto(manage_path(stack, confirmation, slug))
    expect(visitor.get_by_text("Your seat is confirmed.")).to_be_visible()
    shoot(visitor, "manage-page")

    visitor.get_by_role("link", name=SURVEY).click()
    visitor.get_by_label("Once a year").check()
    visitor.get_by_role("button", name="Submit my answers").click()
    expect_flash(visitor, "Your answers are recorded.")
    shoot(visitor, "survey-answered")

    visitor.goto(manage_path(stack, confirmation, slug))
    visitor.get_by_role("link", name="Submit an input").click()
    visitor.get_by_label("Kind of input").select_option(label="Solution idea")
    visitor.get_by_label("Challenge").select_option(
        label="Broken appliances end up in the bin"
    )
    visitor.get_by_label("Title").fill("A repair bonus like Thuringia's")
    visitor.get_by_label("Your input").fill(
        "Pay half of a repair bill, up to 100 euros, as Thuringia does."
    )
    visitor.get_by_role("button", name="Submit input").click()
    expect_flash(visitor, "your input is saved and awaits moderation")
    shoot(visitor, "input-submitted")
    assert _stored(
        stack,
        "SELECT i.title, i.state FROM inputs i JOIN registrations r "
        "ON r.id = i.registration_id WHERE r.email = :email",
        email=email,
    ) == [("A repair bonus like Thuringia's", "submitted")]

    organiser.get_by_role("link", name="Dashboard", exact=True).first.click()
    confirmed = organiser.locator(".stat").filter(has_text="confirmed").first
    expect(confirmed.locator(".stat-value")).to_have_text("1")
    balance = organiser.get_by_role(
        "table", name="Stakeholder balance against target shares"
    )
    civil = balance.get_by_role("row").filter(has_text="Civil society & NGOs")
    expect(civil.get_by_role("cell").first).to_have_text("1")
    # The organiser's own page shows the one-person group, marked as small.
    expect(civil).to_contain_text("n = 1, small group")
    expect(organiser.locator(".stat").filter(has_text="inputs")).to_contain_text("1")
    shoot(organiser, "dashboard")
    organiser.goto(f"/manage/events/{slug}/registrations")
    expect(organiser.get_by_role("row").filter(has_text=email)).to_contain_text(
        "Confirmed"
    )

    organiser.goto(f"/manage/events/{slug}/dashboard")
    with organiser.expect_download() as download_info:
        organiser.get_by_role("button", name="Everything as Excel workbook").click()
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    cells = [str(cell) for sheet in workbook for row in sheet.values for cell in row]
    assert email in cells, workbook.sheetnames
    href = organiser.get_by_role("button", name="Report as PDF").get_attribute("href")
    response = organiser.context.request.get(href)
    # The scheduler prints it (tests/e2e/test_prepared_files.py follows that).
    assert response.status == 200
    assert "Prepare the file" in response.text()
    organiser.get_by_role("button", name="Consultation report").click()
    expect(organiser.get_by_role("heading", level=1)).to_contain_text(TITLE)
    # The report leaves the organisation: one person is no group to show.
    participation = organiser.locator("section.report-section").filter(
        has=organiser.get_by_role("heading", name="Participation", exact=True)
    )
    expect(participation).to_contain_text(
        "Fewer than 5 confirmed registrants: not shown by stakeholder type"
    )
    expect(participation).not_to_contain_text("Civil society")
    shoot(organiser, "report")


CALL_ZONE = "America/New_York"
CALL_TITLE = "Deconstruction, not Demolition: Circular Building in New York"
PROPOSER = ("Amara Okafor", "amara.okafor@reuse-nyc.example")
PROPOSAL = "Salvaged timber from 300 Brooklyn row houses"


def test_call_for_contributions_from_an_empty_database(
    empty_stack, empty_new_context, screenshots
):
    stack, shoot = empty_stack, screenshots("from-empty-call")
    name, email = PROPOSER
    organiser = empty_new_context().new_page()
    login_as(organiser, *NEW_ORGANISER)
    slug = _create_event(
        organiser, shoot, title=CALL_TITLE, days=30, capacity="",
        zone=CALL_ZONE, city=("New York", "United States"),
    )  # fmt: skip
    _publish(organiser, slug)

    organiser.get_by_role("link", name="Contributions", exact=True).first.click()
    organiser.get_by_role("link", name="Set up the call").click()
    organiser.get_by_label("Proposals close").fill(field(wall(25, 17)))
    organiser.get_by_label("Guidelines").fill(
        "We look for **reuse in construction** that a city can copy."
    )
    organiser.get_by_label("Best-practice presentations: durations (minutes)").fill(
        "15, 20"
    )
    shoot(organiser, "call-form")
    organiser.get_by_role("button", name="Save the call").click()
    expect_flash(organiser, "The call for contributions is saved.")

    proposer = empty_new_context(timezone_id=CALL_ZONE).new_page()
    proposer.goto(f"/events/{slug}")
    proposer.get_by_role("link", name="Propose a contribution").click()
    expect(proposer.get_by_text("reuse in construction")).to_be_visible()
    proposer.get_by_label("Your name").fill(name)
    proposer.get_by_label("Your email").fill(email)
    proposer.get_by_label("Title").fill(PROPOSAL)
    proposer.get_by_label("Abstract").fill(
        "How a non-profit salvage yard sells joists and floorboards from "
        "deconstructed row houses, and what the city's permits changed."
    )
    proposer.get_by_label("Kind of contribution").select_option(
        label="Best-practice presentation"
    )
    proposer.get_by_label("Duration (minutes)").fill("20")
    proposer.locator("#speakers-0-name").fill(name)
    proposer.locator("#speakers-0-email").fill(email)
    proposer.locator("#speakers-0-affiliation").fill("Reuse NYC")
    shoot(proposer, "proposal-form")
    proposer.get_by_role("button", name="Send my proposal").click()
    expect_flash(proposer, "your proposal is received")
    shoot(proposer, "proposal-received")
    received = stack.mailbox.wait_for(email, "Your proposal for")
    assert f"/events/{slug}/proposals/" in text_body(received)

    organiser.goto(f"/manage/events/{slug}/contributions")
    organiser.get_by_role("link", name=PROPOSAL).click()
    organiser.get_by_label("4", exact=True).check()
    organiser.get_by_label("Comment").fill("Concrete numbers; fits the agenda.")
    organiser.get_by_role("button", name="Rate").click()
    expect_flash(organiser, "Your rating is saved.")
    organiser.get_by_label("Accept and place in the agenda").check()
    organiser.get_by_label("Slot start (event time)").fill(field(wall(30, 15, 30)))
    shoot(organiser, "decision")
    organiser.get_by_role(
        "button", name="Save the decision and email the proposer"
    ).click()
    expect_flash(organiser, "Decision saved")
    shoot(organiser, "accepted")

    accepted = stack.mailbox.wait_for(email, "Your proposal is accepted")
    assert CALL_TITLE in str(accepted["Subject"])
    assert _stored(
        stack,
        "SELECT p.status, s.title FROM contribution_proposals p "
        "JOIN agenda_sessions s ON s.id = p.session_id WHERE p.proposer_email = :e",
        e=email,
    ) == [("accepted", PROPOSAL)]

    visitor = empty_new_context(timezone_id=CALL_ZONE).new_page()
    # The proposer opened this public page minutes ago (seconds on a fast
    # machine): the worker may still serve it from its page cache.
    in_agenda = lambda page: page.locator("ol.agenda > li").filter(has_text=PROPOSAL)  # noqa: E731
    visit_past_the_page_cache(visitor, f"/events/{slug}", in_agenda)
    session = in_agenda(visitor)
    # A 20-minute slot at 15:30 New York time, the speaker under it.
    expect(session.locator(".time")).to_have_text("15:30–15:50")
    expect(session.get_by_text(name)).to_be_visible()
    shoot(visitor, "public-agenda")
