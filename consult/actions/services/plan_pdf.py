"""The plan as PDF, printed by the consultation report's WeasyPrint pipeline.

Measured on the demo plan (eight actions, five pages) on a shared two-core
machine: loading 20-70 ms, the page 20-180 ms, printing 1.5-1.7 s (3 s on a
process's first PDF). More than a second, so a PDF is not printed per
request: each process keeps the last printed files by the SHA-256 of their
page (a repeat took 13 ms). The page is everything the file shows, so any
change to the plan, an action, a milestone, an update, an input's consent,
the language or the city's date makes another page and a new PDF, and a kept
file is never stale. Not prepared by the scheduler like the report: the plan
changes rarely and everyone downloads the same few pages, so only the first
reader after a change waits for the print, with no table and no job.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from decimal import Decimal

from flask import current_app, render_template, url_for
from flask_babel import format_date, format_decimal

from consult.actions.services.plan_files import PlanFile, kind_label, status_label
from consult.dashboard.services.pdf import laid_out
from consult.languages import language_tag

KEPT_FILES = 64


class _PrintedFiles:
    """A small thread-safe LRU of PDFs by the hash of the page they print."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._files: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._files.get(key)
            if data is not None:
                self._files.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            self._files[key] = data
            self._files.move_to_end(key)
            while len(self._files) > self.size:
                self._files.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._files.clear()


printed = _PrintedFiles(KEPT_FILES)


def _day(value) -> str:
    return format_date(value, format="medium")


def _money(amount: Decimal, currency: str) -> str:
    text = format_decimal(amount, format="#,##0.##")
    return f"{currency} {text}".strip()


def plan_pdf_html(data: PlanFile, language: str) -> str:
    """The printed page of the plan in the current locale (a request context:
    the page links the print stylesheet)."""
    return render_template(
        "actions/plan_pdf.html",
        plan=data,
        lang=language_tag(language),
        day=_day,
        money=_money,
        kind_label=kind_label,
        status_label=status_label,
    )


def plan_pdf(data: PlanFile, language: str) -> bytes:
    """The plan printed to PDF; the same page is printed once per process."""
    html = plan_pdf_html(data, language)
    key = hashlib.sha256(html.encode()).hexdigest()
    kept = printed.get(key)
    if kept is not None:
        return kept
    document = laid_out(
        html,
        static_folder=current_app.static_folder,
        static_prefix=url_for("static", filename=""),
    )
    pdf = document.write_pdf()
    printed.put(key, pdf)
    return pdf
