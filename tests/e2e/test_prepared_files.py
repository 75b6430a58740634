"""The organiser asks for the report's PDF, watches it being made, downloads it.

Keyboard only, against the real stack: gunicorn serves the pages, the real
`consult scheduler` process prints the PDF (the page polls its progress with
js/prepared.js), and the download streams the kept file. A second download
is the same file, served at once.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DEMO_SLUG, ORGANISER, assert_accessible, login_as
from tests.e2e.steps import expect, stored_rows, tab_to

MANAGE = f"/manage/events/{DEMO_SLUG}"
JOBS = (
    "SELECT j.status, j.progress, j.params, j.file_id FROM export_jobs j"
    " JOIN events e ON e.id = j.event_id WHERE e.slug = :slug AND j.kind = :kind"
)


@pytest.mark.slow
def test_organiser_prepares_the_report_pdf_and_downloads_it(
    stack, organiser_page, screenshots
):
    page, shoot = organiser_page, screenshots("prepared-report-pdf")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{MANAGE}/dashboard")
    tab_to(page, f'a[href="{MANAGE}/report.pdf"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report as PDF")
    shoot(page, "offer-1280")

    tab_to(page, "form[action$='/files/report_pdf'] button")
    page.keyboard.press("Enter")
    progress = page.locator("progress#job-progress")
    expect(progress).to_be_visible()
    expect(page.locator("[data-job-step]")).not_to_be_empty()
    shoot(page, "progress-1280")
    assert stored_rows(stack, JOBS, slug=DEMO_SLUG, kind="report_pdf")[0][0] in (
        "queued",
        "running",
        "done",
    )

    # js/prepared.js reloads the page once the scheduler has stored the file.
    download_link = page.get_by_role("button", name="Download the file")
    expect(download_link).to_be_visible(timeout=120_000)
    shoot(page, "ready-1280")
    tab_to(page, "#download-file")
    with page.expect_download() as first:
        page.keyboard.press("Enter")
    pdf = first.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert first.value.suggested_filename == f"{DEMO_SLUG}-report-en.pdf"
    ((status, progress_value, language, file_id),) = stored_rows(
        stack, JOBS, slug=DEMO_SLUG, kind="report_pdf"
    )
    assert (status, progress_value, language) == ("done", 100, "en")
    assert file_id is not None

    # The dashboard's link now hands over the kept file at once.
    page.goto(f"{MANAGE}/dashboard")
    tab_to(page, f'a[href="{MANAGE}/report.pdf"]')
    with page.expect_download() as second:
        page.keyboard.press("Enter")
    assert second.value.path().read_bytes() == pdf
    assert len(stored_rows(stack, JOBS, slug=DEMO_SLUG, kind="report_pdf")) == 1

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(page_url_of_job(stack))
    expect(page.get_by_role("button", name="Download the file")).to_be_visible()
    shoot(page, "ready-360")
    page.goto(f"{MANAGE}/report.pdf?lang=ms")
    expect(page.get_by_role("button", name="Prepare the file")).to_be_visible()
    shoot(page, "offer-360")


def page_url_of_job(stack) -> str:
    (job_id,) = stored_rows(
        stack,
        "SELECT j.id FROM export_jobs j JOIN events e ON e.id = j.event_id"
        " WHERE e.slug = :slug AND j.kind = 'report_pdf' AND j.params = 'en'",
        slug=DEMO_SLUG,
    )[0]
    return f"{MANAGE}/files/{job_id}"


@pytest.mark.slow
def test_prepared_file_pages_are_accessible(stack, new_context, audit):
    page = new_context(bypass_csp=True).new_page()
    login_as(page, *ORGANISER)
    findings = audit(page, f"{MANAGE}/report.pdf?lang=id")
    token_page = page.get_by_role("button", name="Prepare the file")
    token_page.click()
    expect(page.locator("progress#job-progress")).to_be_visible()
    findings += audit(page, page.url.removeprefix(stack.base_url))
    assert_accessible(findings)
