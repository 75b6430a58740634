"""CSV and XLSX files that are safe to open in a spreadsheet, and responses for them.

Exports carry user text (names, answers, option labels). A spreadsheet runs a
cell that starts with ``= + - @``, a tab or a carriage return as a formula
(CSV injection), so such text gets a leading apostrophe. Numbers, dates and
booleans keep their type: they cannot be formulas.

- ``csv_text(header, rows)`` / ``csv_response(filename, header, rows)``:
  UTF-8 with a byte-order mark (Excel needs it to read UTF-8), CRLF lines;
  ``csv_download(filename, text)`` for CSV text built elsewhere. Every CSV
  download goes through these: one Content-Type with exactly one charset.
- ``xlsx_bytes(sheets)`` / ``xlsx_response(filename, sheets)``: one workbook
  with one ``Sheet`` or several; a bold, frozen header row, column widths from
  the content, strings stored as strings (never formulas), aware datetimes in
  UTC.
- ``csv_row_count(text)``: the data rows of such a CSV, for the export log.

Exports hold personal data, so every download of one is recorded: the log is
``consult.export_log``, the download views' helpers ``consult.downloads``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Response, current_app, send_file
from flask_babel import gettext as _

from consult.timeutil import now_utc
from consult.xlsx import Table, workbook_bytes

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_MIMETYPE = "text/csv"
# The one Content-Type of every CSV download: exactly one charset parameter.
CSV_CONTENT_TYPE = f"{CSV_MIMETYPE}; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_CELL_LIMIT = 32767  # characters Excel keeps in one cell
SHEET_TITLE_LIMIT = 31
WIDTH_SAMPLE_ROWS = 1000
# XML 1.0 (the XLSX format) forbids these; openpyxl raises on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

Cell = object


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, header row and data rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def neutralise_text(text: str) -> str:
    """``text`` with a leading ' when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def neutralise(value: Cell, *, yes_no: tuple[str, str] | None = None) -> str:
    """A CSV cell's text: neutralised strings, yes/no, UTC timestamps, plain numbers.

    ``yes_no``: the translated words, when the caller looked them up once (a
    lookup per cell was 40% of a 50,000-row export).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = yes_no or (_("yes"), _("no"))
        return yes if value else no
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%d %H:%M:%S") + (
            " UTC" if value.tzinfo else ""
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise_text(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The rows as CSV text, byte-order mark first, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yes_no = (_("yes"), _("no"))
    writer.writerow([neutralise(cell, yes_no=yes_no) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell, yes_no=yes_no) for cell in row])
    return BOM + buffer.getvalue()


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One workbook holding every sheet (at least one), as the bytes of an .xlsx."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    # Each row is written as XML text (consult.xlsx): openpyxl's cell objects
    # took three times the CPU on a 50,000-registration workbook
    # (docs/performance.md); rows stream, nothing is kept per cell.
    used: set[str] = set()
    tables = [_table(sheet, sheet_title(sheet.title, used)) for sheet in sheets]
    return workbook_bytes(tables, text=_text, created=now_utc())


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Response:
    """A download of ``csv_text`` (UTF-8) named ``filename``."""
    return csv_download(filename, csv_text(header, rows))


def csv_download(filename: str, text: str) -> Response:
    """A download of CSV text (from ``csv_text``) named ``filename``, UTF-8."""
    return _download(text.encode("utf-8"), filename, CSV_CONTENT_TYPE)


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """A download of ``xlsx_bytes(sheets)`` named ``filename``."""
    return _download(xlsx_bytes(sheets), filename, XLSX_MIMETYPE)


def export_filename(*parts: object, ext: str) -> str:
    """An ASCII file name from parts, e.g. ("my-event", "survey", 3) -> my-event-survey-3.csv."""
    words = [_FILENAME_UNSAFE.sub("-", str(p)).strip("-._") for p in parts]
    stem = "-".join(w for w in words if w)[:120] or "export"
    return f"{stem}.{ext.lstrip('.')}"


def sheet_title(title: str, used: set[str] | None = None) -> str:
    """A valid, unique worksheet title: no []:*?/\\, at most 31 characters."""
    used = used if used is not None else set()
    base = _ILLEGAL.sub("", _SHEET_FORBIDDEN.sub(" ", str(title))).strip(" '")
    base = base[:SHEET_TITLE_LIMIT] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


# --- internals ------------------------------------------------------------


def _table(sheet: Sheet, title: str) -> Table:
    rows = iter(sheet.rows)
    # Widths from the first thousand rows are enough; the sheet's columns
    # are written before its first row.
    first = [list(row) for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    widths = [_width(title) for title in sheet.header]
    for row in first:
        for column, value in enumerate(row):
            if column == len(widths):
                widths.append(0)
            widths[column] = max(widths[column], _width(value))
    widths = [min(max(width, 8), 60) for width in widths]
    return Table(title, sheet.header, itertools.chain(first, rows), widths)


def _text(value: Cell) -> str:
    text = neutralise_text(_ILLEGAL.sub("", str(value)))
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0) + 2


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value


def _download(data: bytes, filename: str, content_type: str) -> Response:
    response = send_file(
        io.BytesIO(data),
        mimetype=content_type,
        as_attachment=True,
        download_name=filename,
        etag=False,
        max_age=0,
    )
    # send_file appends "; charset=utf-8" to any text/* type, even one that
    # already has it: the header is set here as given, once.
    response.headers["Content-Type"] = content_type
    # Exports hold personal data: no shared or browser cache keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def personal_data_download(data: dict, filename: str) -> Response:
    """A person's own data as a JSON download (their manage link's "Download my data")."""
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: no shared or browser cache keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_row_count(text: str) -> int:
    """The data rows (header excluded) of a CSV text made by ``csv_text``.

    Read as CSV, not counted by line: a cell may hold line breaks.
    """
    records = sum(1 for _row in csv.reader(io.StringIO(text.removeprefix(BOM))))
    return max(records - 1, 0)
