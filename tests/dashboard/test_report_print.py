"""What the report's PDF prints and how cheaply (issue 22): the report alone
in a bare page with print.css, every chart beside its data table, the charts
without their tooltips, and each chart label drawn in one piece."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader

from consult.dashboard.services.export_files import build_report_pdf, report_pdf_page
from consult.dashboard.services.pdf import weasyprint_module
from consult.timeutil import now_utc
from tests.dashboard.conftest import require_pdf
from tests.dashboard.test_demo import demo  # noqa: F401 (fixture)

FIGURE = re.compile(r'<figure class="chart report-chart">(.*?)</figure>', re.S)


def _silent(_percent, _step):
    pass


def test_every_chart_is_printed_beside_its_table_in_a_bare_page(demo, app):  # noqa: F811
    event, _types = demo
    page = report_pdf_page(event, "en", now=now_utc(), progress=_silent)
    html = page.html
    # The print stylesheet alone: no screen styles, no site header.
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert links == [f"{page.static_prefix}css/print.css"]
    assert '<header class="container"' not in html and "<script" not in html
    figures = FIGURE.findall(html)
    # The demo's twelve charts: balance, countries, priorities (overall, by
    # type, spread) and the survey questions' charts, each an image of its
    # own SVG file (not inline: see PrintedCharts).
    assert len(figures) == len(page.charts.files) == 12 and "<svg" not in html
    for body in figures:
        chart, table = body.split('<div class="chart-data-print">')
        [src] = re.findall(r'<img class="chart-svg" src="([^"]+)" alt="[^"]+">', chart)
        svg = page.charts.files[src].decode()
        assert svg.startswith("<svg") and "<table" in table
        # The chart's numbers are in its table, row by row.
        assert table.count("<tr") >= 2
        # Tooltips are for screens; the chart's own title stays.
        assert not re.search(r"<title>", svg)
        assert re.search(r'<title id="[^"]+">', svg)


def _pdf_of_svg_text(text_element: str):
    weasyprint = weasyprint_module()
    page_html = (
        '<html><body><svg xmlns="http://www.w3.org/2000/svg" width="400" '
        f'height="60" font-family="DejaVu Sans">{text_element}</svg></body></html>'
    )
    pdf = weasyprint.HTML(string=page_html).write_pdf()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    stream = page.get_contents().get_data()
    return page.extract_text(), stream.count(b"Tj") + stream.count(b"TJ")


def test_a_chart_label_is_drawn_in_one_piece_not_letter_by_letter():
    require_pdf()
    text, shows = _pdf_of_svg_text('<text x="10" y="30">Plastic pollution</text>')
    assert text.strip() == "Plastic pollution"
    assert shows == 1  # WeasyPrint's own drawing shows it letter by letter: 16
    # Letters spaced or placed one by one are still drawn one by one.
    text, shows = _pdf_of_svg_text(
        '<text x="10" y="30" letter-spacing="2">Plastic</text>'
    )
    assert shows == len("Plastic")
    text, shows = _pdf_of_svg_text('<text x="10 20 30" y="30">abc</text>')
    assert shows == 3


def test_the_pdf_draws_every_chart_image_it_links(demo, app, caplog):  # noqa: F811
    require_pdf()
    event, _types = demo
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        built = build_report_pdf(event, "en", now=now_utc(), progress=_silent)
    # An image WeasyPrint could not fetch prints its alt text, and says so.
    failed = [r.getMessage() for r in caplog.records if "image" in r.getMessage()]
    assert failed == []
    pdf = PdfReader(io.BytesIO(built.data))
    # Each chart is drawn as a form of its own on its page: twelve in all.
    forms = sum(
        1
        for page in pdf.pages
        for ref in (page["/Resources"].get("/XObject") or {}).values()
        if ref.get_object().get("/Subtype") == "/Form"
    )
    assert forms >= 12
