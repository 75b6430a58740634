"""The files an export job makes: the report's PDF and the full workbook.

Each builder reports its progress at its natural steps through ``progress``
(a number from 0 to 100 and a step key of ``export_jobs.STEP_LABELS``) and
returns the file's bytes, its content type and the rows it holds (what the
export log records).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup

from consult.challenges.services.export import inputs_sheet, priorities_sheet
from consult.dashboard.services.exports import row_count, survey_sheets
from consult.dashboard.services.pdf import PrintedCharts, laid_out
from consult.dashboard.services.report import report_data
from consult.events.models import Event
from consult.exports import XLSX_MIMETYPE, export_filename, xlsx_bytes
from consult.languages import language_tag
from consult.live.services.export import live_sheets
from consult.registration.services.organiser_export import registrants_sheet

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Built:
    data: bytes
    content_type: str
    rows: int


def file_name(event: Event, kind: str, params: str) -> str:
    """The download's name, the same as the direct downloads give theirs."""
    if kind == "report_pdf":
        return export_filename(event.slug, "report", params, ext="pdf")
    return export_filename(event.slug, "consultation", ext="xlsx")


def build_workbook(event: Event, *, now: datetime, progress: Progress) -> Built:
    """Registrants, inputs, priorities, each exportable survey and the live
    session, as an .xlsx."""
    sheets = []
    steps = (
        ("registrants", lambda: [registrants_sheet(event)]),
        ("inputs", lambda: [inputs_sheet(event)]),
        ("priorities", lambda: [priorities_sheet(event)]),
        ("surveys", lambda: survey_sheets(event)),
        ("live", lambda: live_sheets(event)),
    )
    for number, (step, make) in enumerate(steps):
        progress(5 + 10 * number, step)
        sheets.extend(make())
    # Writing the cells is most of the work: about half of the time.
    progress(55, "writing")
    return Built(xlsx_bytes(sheets), XLSX_MIMETYPE, row_count(sheets))


@dataclass(frozen=True)
class PdfPage:
    """The page a PDF prints: its HTML, the static files' URL prefix and its
    chart images."""

    html: str
    static_prefix: str
    charts: PrintedCharts


def report_pdf_page(
    event: Event, language: str, *, now: datetime, progress: Progress
) -> PdfPage:
    """The report in ``language`` in a bare page with the print stylesheet
    only (dashboard/report_pdf.html), its charts as images.

    Rendered in a request context of its own for the PDF's address (the
    templates build URLs, and the dashboard's template globals apply to its
    pages), signed out.
    """
    app = current_app._get_current_object()
    path = f"/manage/events/{event.slug}/report.pdf"
    with app.test_request_context(path), force_locale(language):
        progress(5, "figures")
        data = report_data(event, now=now)
        progress(25, "layout")
        charts = PrintedCharts()
        body = render_template(
            "dashboard/_report.html",
            event=data.event,
            report=data,
            for_pdf=True,
            printed_charts=charts,
        )
        html = render_template(
            "dashboard/report_pdf.html",
            event=event,
            report_html=Markup(body),
            report_lang=language_tag(language),
        )
        return PdfPage(html, url_for("static", filename=""), charts)


def build_report_pdf(
    event: Event, language: str, *, now: datetime, progress: Progress
) -> Built:
    """The report printed in ``language``."""
    page = report_pdf_page(event, language, now=now, progress=progress)
    progress(40, "pages")
    document = laid_out(
        page.html,
        static_folder=current_app.static_folder,
        static_prefix=page.static_prefix,
        charts=page.charts,
    )
    progress(75, "writing")
    return Built(document.write_pdf(), "application/pdf", 0)


def build(event: Event, kind: str, params: str, *, now, progress) -> Built:
    """The file of this kind."""
    if kind == "report_pdf":
        return build_report_pdf(event, params, now=now, progress=progress)
    return build_workbook(event, now=now, progress=progress)
