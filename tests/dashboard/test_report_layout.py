"""The demo report reads as a publication: no page starts with a lone
heading, no heading is repeated, the charts read as rankings, and the PDF is
far shorter than the 23 pages of one section per page."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from pypdf import PdfReader

from tests.dashboard.conftest import fetch_report_pdf, require_pdf
from tests.dashboard.test_demo import demo  # noqa: F401 (fixture)

# 24 pages before the report flowed (23 in the issue), 13 after; the issue
# asks for well under half of 23: 9 with each chart beside its table, in print
# typography (tables in 7-8.5pt).
# The demo's city plan adds the section "Actions from this consultation"
# (issue 23: eight actions built on its inputs), about two pages.
MAX_PAGES = 11


class _Headings(HTMLParser):
    """The text of every heading and figure caption inside the report."""

    TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}

    def __init__(self):
        super().__init__()
        self.inside, self.texts, self.open = False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "article" and ("class", "report") in attrs:
            self.inside = True
        if self.inside and tag in self.TAGS:
            self.open = [tag, ""]

    def handle_endtag(self, tag):
        if self.open and tag == self.open[0]:
            self.texts.append((tag, " ".join(self.open[1].split())))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.open[1] += data


def _headings(html: str) -> list[tuple[str, str]]:
    parser = _Headings()
    parser.feed(html)
    return parser.texts


def test_no_heading_is_repeated(demo, client):  # noqa: F811
    event, _types = demo
    html = client.get(f"/manage/events/{event.slug}/report").text
    found = _headings(html)
    headings = [text for tag, text in found if tag in {"h1", "h2", "h3", "h4"}]
    repeated = {t for t in headings if headings.count(t) > 1}
    assert not repeated
    # A chart's caption does not repeat the heading above it (the survey
    # questions' did).
    captions = {text for tag, text in found if tag == "figcaption"}
    assert not captions & set(headings)


def test_charts_read_as_rankings(demo, client):  # noqa: F811
    event, _types = demo
    html = client.get(f"/manage/events/{event.slug}/report").text
    # Each chart's table on the page: the overall points, highest first.
    table = html[html.index('id="priorities-overall-title"') :]
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    points = [int(n) for n in re.findall(r"<td>(\d+)</td>", table)]
    assert len(points) == 5 and points == sorted(points, reverse=True)


def test_pdf_pages_never_start_with_a_lone_heading(demo, client):  # noqa: F811
    require_pdf()
    event, _types = demo
    html = client.get(f"/manage/events/{event.slug}/report").text
    headings = {text for tag, text in _headings(html) if tag in {"h2", "h3", "h4"}}
    pdf = fetch_report_pdf(client, event)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages]
    assert len(pages) <= MAX_PAGES
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The last line is the page number ("3 / 15").
        body = [line for line in lines if not re.fullmatch(r"\d+ / \d+", line)]
        assert body, f"page {number} is empty"
        # A heading may open a page only with its content after it.
        assert not (len(body) == 1 and body[0] in headings), number
        last = body[-1]
        assert last not in headings, f"page {number} ends with the heading {last!r}"
        # Nor when it wraps: the page's last lines are not a whole heading.
        tails = {" ".join(body[i:]) for i in range(1, len(body))}
        stranded = tails & headings
        assert not stranded, f"page {number} ends with the heading {stranded}"
    # The contents give each section's page.
    assert re.search(r"Executive summary\s*\.*\s*2", pages[0])
