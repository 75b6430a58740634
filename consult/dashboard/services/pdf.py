"""The report's PDF: the report page's own HTML printed by WeasyPrint.

WeasyPrint needs Pango and HarfBuzz from the system (Debian: libpango-1.0-0,
libpangoft2-1.0-0, libharfbuzz0b, libharfbuzz-subset0). Without them the
import fails; the route then says so with a 503 instead of crashing. The
report's languages need fonts too (Debian: fonts-noto-core for Latin and
Vietnamese, fonts-noto-cjk for Chinese and Korean; static/css/print.css picks
the face by the page's lang). Without them the PDF is still made, with boxes
for the characters no installed font has.

Only this site's static files are fetched while printing (stylesheets,
images); any other URL in the page, e.g. an image in an input's Markdown, is
refused, so printing a report never makes the server call out.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from markupsafe import Markup
from werkzeug.security import safe_join

SYSTEM_LIBRARIES = (
    "Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and "
    "HarfBuzz (Debian: libharfbuzz0b, libharfbuzz-subset0)"
)
BASE_URL = "http://consult.report/"
_CHARTS = "_charts/"  # outside the static files' prefix


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""


def weasyprint_module():
    """The weasyprint module, or PdfUnavailable naming what is missing."""
    try:
        import weasyprint
        from weasyprint import svg
    except ImportError as exc:
        raise PdfUnavailable(f"WeasyPrint is not installed ({exc})") from exc
    except OSError as exc:  # the Python package is there, the C libraries are not
        raise PdfUnavailable(
            f"WeasyPrint cannot load the system libraries {SYSTEM_LIBRARIES}: {exc}"
        ) from exc
    _draw_svg_strings_whole(svg.Node)
    return weasyprint


class _WholeString(str):
    """A string that iterates as one piece instead of letter by letter."""

    def __iter__(self):
        yield str(self)


# Attributes that place or turn letters one by one (or several positions).
_PER_LETTER = ("rotate", "letter-spacing", "textLength", "lengthAdjust")
_POSITIONS = ("x", "y", "dx", "dy")


def _draw_svg_strings_whole(node_class) -> None:
    """Make WeasyPrint lay out and draw an SVG text in one piece.

    WeasyPrint 70 (svg/text.py) lays out and draws every letter of an SVG
    <text> or <tspan> on its own, which only letters placed one by one need:
    the charts' 3,200 letters took a quarter of the report PDF's build
    (issue 22). Their texts have one position each, so a text without
    per-letter attributes is handed over as a string that iterates as itself:
    one layout, shaped and kerned as a whole. Applied once to the Node class.
    """
    if getattr(node_class, "whole_strings", False):
        return
    letter_by_letter = node_class.text

    def text(node):
        value = letter_by_letter.fget(node)
        if not value or len(value) < 2 or node.tag not in ("text", "tspan"):
            return value
        if any(node.get(name) for name in _PER_LETTER):
            return value
        if any(len(str(node.get(name, "")).split()) > 1 for name in _POSITIONS):
            return value
        return _WholeString(value)

    node_class.text = property(text, doc=letter_by_letter.__doc__)
    node_class.whole_strings = True


def pdf_available() -> str | None:
    """None when PDFs can be made, else the reason they cannot."""
    try:
        weasyprint_module()
    except PdfUnavailable as exc:
        return str(exc)
    return None


def static_fetcher(
    *, static_folder: str, static_prefix: str, files: Mapping[str, bytes] | None = None
):
    """A WeasyPrint URL fetcher serving this site's static files and nothing
    else (but ``files``, by URL: a page's chart images)."""
    weasyprint_module()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    site = urlsplit(BASE_URL)

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if files and url in files:
                return URLFetcherResponse(
                    url, files[url], {"Content-Type": "image/svg+xml"}
                )
            parts = urlsplit(url)
            path = unquote(parts.path)
            if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
                raise ValueError(f"not fetched while printing: {url}")
            if not path.startswith(static_prefix):
                raise ValueError(f"not a static file: {url}")
            filename = safe_join(static_folder, path[len(static_prefix) :])
            if filename is None or not os.path.isfile(filename):
                raise ValueError(f"no such static file: {url}")
            with open(filename, "rb") as handle:
                body = handle.read()
            mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mimetype})

    return StaticOnlyFetcher()


class PrintedCharts:
    """A printed page's charts as SVG files its images load while printing.

    Inline in the page, each chart's few hundred SVG elements go through the
    HTML parser (pure Python) and the page's style cascade; as an image's
    file, its SVG is parsed by the XML parser and only the ``<img>`` is
    styled. WeasyPrint draws an SVG image and an inline SVG alike: the demo's
    report PDF came out byte for byte the same, 10% faster.
    """

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def image(self, chart) -> Markup:
        """The ``<img>`` printing ``chart`` (its tooltips left out, as on paper)."""
        url = f"{BASE_URL}{_CHARTS}{len(self.files) + 1}.svg"
        self.files[url] = str(chart.print_svg).encode()
        return Markup('<img class="chart-svg" src="{}" alt="{}">').format(
            url, chart.title
        )


def laid_out(
    html: str,
    *,
    static_folder: str,
    static_prefix: str,
    charts: PrintedCharts | None = None,
):
    """``html`` laid out in pages (a WeasyPrint Document; ``write_pdf()`` prints it).

    The two halves of printing take about as long as each other, so a job
    reports its progress between them. ``charts``: the page's chart images.
    """
    weasyprint = weasyprint_module()
    fetcher = static_fetcher(
        static_folder=static_folder,
        static_prefix=static_prefix,
        files=charts.files if charts is not None else None,
    )
    page = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return page.render()


def html_to_pdf(html: str, *, static_folder: str, static_prefix: str) -> bytes:
    """Print ``html`` to PDF; URLs under ``static_prefix`` come from disk."""
    document = laid_out(html, static_folder=static_folder, static_prefix=static_prefix)
    return document.write_pdf()
