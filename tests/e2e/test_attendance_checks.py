"""The attendance preview catches mistakes, in a browser: a report of another
day is flagged, "Name (Organisation)" finds its registrant, and a row under a
nickname is linked to its registrant with the keyboard alone, checked again
and applied. axe-core on the preview; screenshots at 1280 and 360 px."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.conftest import AXE_BLOCKING, ORGANISER, login_as
from tests.e2e.steps import (
    expect,
    expect_flash,
    fill_registration,
    stored_rows,
    submit_registration,
)
from tests.registration.attendance_reports import HOST, zoom_meeting

ZONE = "Asia/Kuala_Lumpur"
TITLE = "Sorting Stations in Ipoh — Partners Call"
PEOPLE = [
    ("Nur Aisyah Rahman", "aisyah.rahman@ipoh.example.my"),
    ("Daniel Wong", "daniel.wong@ipoh.example.my"),
]
GROUP = "Government & public agencies"


def _axe(page, axe_source) -> list[str]:
    """Serious and critical axe findings on the page as it is (a POST's answer)."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"[{v['impact']}] {v['id']}: {[n['target'] for n in v['nodes']][:4]}"
        for v in results["violations"]
        if v["impact"] in AXE_BLOCKING
    ]


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_preview_flags_the_day_and_takes_a_link_by_keyboard(
    stack, new_context, screenshots, axe_source, tmp_path
):
    shoot = screenshots("attendance-checks")
    today = datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    start = (today + timedelta(days=10)).replace(hour=16, minute=0)
    # axe is injected as an inline script: this context lets it past the CSP.
    page = new_context(bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    page.goto("/manage/")
    page.get_by_role("button", name="New event").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Ipoh's recyclers and the city council.")
    page.get_by_label("Time zone").fill(ZONE)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill(
        (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Host city").fill("Ipoh")
    page.get_by_label("Host country").fill("Malaysia")
    page.get_by_label("Capacity").fill("40")
    page.get_by_role("button", name="Save draft").click()
    expect_flash(page, "Draft saved.")
    slug = re.search(r"/manage/events/([^/]+)/", page.url).group(1)
    page.get_by_role("button", name="Publish").click()
    expect_flash(page, "The event is published")
    visitor = new_context(timezone_id=ZONE).new_page()
    for name, email in PEOPLE:
        visitor.goto(f"/events/{slug}/register")
        fill_registration(
            visitor, name=name, email=email, country="Malaysia", group=GROUP
        )
        assert "Your seat is confirmed." in submit_registration(visitor)

    # The report of the week before: a mistake the preview must show.
    report = tmp_path / "ipoh-participants.csv"
    report.write_bytes(
        zoom_meeting(
            start.date() - timedelta(days=7),
            [
                HOST,
                ("Nur Aisyah Rahman (Ipoh City Council)", "", "16:02", "17:55", 113),
                ("Danny W", "", "16:05", "17:40", 95),
            ],
        )
    )
    page.goto(f"/manage/events/{slug}/attendance")
    page.get_by_label("Zoom or Teams attendance report").set_input_files(report)
    page.get_by_label("Time zone of the report").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check before applying")).to_be_visible()
    expect(page.locator("#days-warning")).to_contain_text("Check the dates")
    expect(page.get_by_text("1 confirmed registrant will be marked")).to_be_visible()
    host = page.get_by_role("row").filter(has_text="Consult Organiser")
    expect(host).to_contain_text("Host")
    expect(host).to_contain_text("15:58")
    assert _axe(page, axe_source) == []
    shoot(page, "preview-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "preview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Keyboard only: the nickname's row is Daniel Wong.
    nickname = page.get_by_role("row").filter(has_text="Danny W")
    select_id = nickname.locator("select").get_attribute("id")
    page.keyboard.press("Tab")
    _tab_to(page, f"#{select_id}")
    page.keyboard.type("Daniel")
    expect(page.locator(f"#{select_id} option:checked")).to_have_text(
        re.compile("Daniel Wong")
    )
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Check again with these choices"
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 confirmed registrants will be marked")).to_be_visible()
    matched = page.locator("section[aria-labelledby=matched-title]")
    expect(matched.get_by_role("row").filter(has_text="Danny W")).to_contain_text(
        "By you"
    )
    assert _axe(page, axe_source) == []
    shoot(page, "checked-again-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "checked-again-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("body").focus()
    _tab_to(page, "#apply-form button:not([name])")
    page.keyboard.press("Enter")
    expect_flash(page, "2 registrants matched")
    shoot(page, "applied")

    stored = stored_rows(
        stack,
        "SELECT r.email, r.attended, r.attended_minutes FROM registrations r "
        "JOIN events e ON e.id = r.event_id WHERE e.slug = :slug ORDER BY r.email",
        slug=slug,
    )
    assert [(e, bool(a), m) for e, a, m in stored] == [
        ("aisyah.rahman@ipoh.example.my", True, 113),
        ("daniel.wong@ipoh.example.my", True, 95),
    ]
