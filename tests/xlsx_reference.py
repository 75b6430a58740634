"""What openpyxl itself writes for a list of sheets, and a workbook's content.

``consult.xlsx`` writes each row's XML as text (issue 22: a third of the
CPU). The promise is that the file holds what openpyxl's own writer made
of the same sheets before: these tests keep that writer, as
``consult.exports`` used it (write-only, cell objects, a bold frozen header,
widths from the first thousand rows), and compare the two files as a
spreadsheet reads them: every cell's value, type, number format and
boldness, the widths, the frozen pane and the sheet titles.
"""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from consult import exports


def reference_xlsx(sheets) -> bytes:
    """The workbook as openpyxl's write-only writer made it before issue 22."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(exports.sheet_title(sheet.title, used))
        rows = iter(sheet.rows)
        first = [list(row) for row in itertools.islice(rows, 1000)]
        widths = [exports._width(title) for title in sheet.header]
        for row in first:
            for column, value in enumerate(row):
                if column == len(widths):
                    widths.append(0)
                widths[column] = max(widths[column], exports._width(value))
        for column, width in enumerate(widths, start=1):
            letter = get_column_letter(column)
            ws.column_dimensions[letter].width = min(max(width, 8), 60)
        ws.freeze_panes = "A2"
        header = []
        for title in sheet.header:
            cell = WriteOnlyCell(ws)
            _set(cell, title)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in itertools.chain(first, rows):
            ws.append([_cell(ws, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(ws, value):
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, date):
        cell = WriteOnlyCell(ws)
        _set(cell, value)
        return cell
    return exports._text(value)


def _set(cell, value) -> None:
    if value is None:
        return
    if isinstance(value, bool | int | float | Decimal):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = exports._utc(value).replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = exports._text(value)
        cell.data_type = TYPE_STRING


def content(data: bytes, *, unordered: frozenset[str] = frozenset()) -> list:
    """Each sheet: title, frozen pane, widths, then every cell's
    (coordinate, value, type, number format, bold) row by row.

    Sheets named in ``unordered`` (an anonymous survey's rows are shuffled
    at every build) have their data rows sorted, without coordinates.
    """
    workbook = load_workbook(io.BytesIO(data))
    out = []
    for ws in workbook.worksheets:
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        out.append(("sheet", ws.title, ws.freeze_panes, widths))
        rows = [
            [
                (c.coordinate, c.value, c.data_type, c.number_format, c.font.b)
                for c in row
            ]
            for row in ws.iter_rows()
        ]
        if ws.title in unordered:
            rows = rows[:1] + sorted(
                ([cell[1:] for cell in row] for row in rows[1:]), key=repr
            )
        out += rows
    return out
