"""The tables of a CSV report: rows with their line numbers, headers, sections."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from flask_babel import ngettext

from consult.registration.attendance.columns import OPTIONAL_COLUMNS, ZOOM_SECTIONS
from consult.registration.attendance.refusals import Problem
from consult.registration.attendance.times import Stamp


class Cells(list):
    """One CSV record's cells, with the line of the file it starts on."""

    number: int = 0


@dataclass
class Section:
    """One table of a report: its title, header and data rows."""

    title: str
    header: dict[str, int]
    names: list[str]  # the header's cells as the report writes them
    body: list[Cells]

    def cell(self, row: list[str], key: str) -> str | None:
        index = self.header.get(key)
        if index is None or index >= len(row):
            return None
        value = row[index].strip()
        return None if value in ("", "--") else value

    def stamp(self, row: Cells, key: str) -> Stamp | None:
        text = self.cell(row, key)
        if text is None:
            return None
        return Stamp(row.number, self.names[self.header[key]], text)

    def problem(self, row: Cells, key: str, message: str) -> Problem:
        return Problem(row.number, self.names[self.header[key]], message)


def read_rows(text: str, delimiter: str) -> list[Cells]:
    rows = []
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    start = 1
    for record in reader:
        cells = Cells(cell.strip() for cell in record)
        cells.number = start  # a quoted cell may span lines: where it starts
        rows.append(cells)
        start = reader.line_num + 1
    return rows


def _header_map(row: list[str], columns: dict) -> dict[str, int] | None:
    """Column positions when the row is a header with every wanted column."""
    names = [cell.strip().lower() for cell in row]
    found = {}
    for key, aliases in columns.items():
        index = next((names.index(a) for a in aliases if a in names), None)
        if index is None:
            if key in OPTIONAL_COLUMNS:
                continue  # older exports have no role or leave column
            return None
        found[key] = index
    return found


def find_header(rows, columns) -> int | None:
    return next((i for i, row in enumerate(rows) if _header_map(row, columns)), None)


def sections(rows, columns):
    """Each table of the report whose header has the wanted columns."""
    index = 0
    while index < len(rows):
        header = _header_map(rows[index], columns)
        if header is None:
            index += 1
            continue
        title = _title(rows[index - 1]) if index else ""
        names = list(rows[index])
        body = []
        index += 1
        while index < len(rows) and any(rows[index]):
            if _header_map(rows[index], columns) or _is_title(rows[index]):
                break
            body.append(rows[index])
            index += 1
        yield Section(title, header, names, body)


def shifted(row: Cells, section: Section) -> Problem | None:
    """A problem when the row has more filled cells than its header has columns."""
    width = len(section.names)
    if len(row) > width and any(row[width:]):
        return Problem(
            row.number,
            None,
            ngettext(
                "%(num)d field where the header has %(expected)d (a name with a "
                "tab or comma in it must be in double quotes)",
                "%(num)d fields where the header has %(expected)d (a name with a "
                "tab or comma in it must be in double quotes)",
                len(row),
                expected=width,
            ),
        )
    return None


def _title(row: list[str]) -> str:
    return " ".join(cell for cell in row if cell).strip().lower()


def _is_title(row: list[str]) -> bool:
    cells = [cell for cell in row if cell]
    return len(cells) == 1 and _title(row) in ZOOM_SECTIONS


def email_of(raw: str | None) -> str | None:
    return raw.strip().lower() if raw and "@" in raw else None
