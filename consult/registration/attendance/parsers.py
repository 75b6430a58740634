"""Read Zoom and Microsoft Teams attendance reports into one list of people."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.errors import ValidationFailed
from consult.numbers import INT_MAX, parse_int
from consult.registration.attendance.columns import (
    CLOCK_DURATION,
    DURATION,
    TEAMS_DATE_FORMATS,
    TEAMS_HEADERS,
    TEAMS_JOIN_COLUMNS,
    TEAMS_TOTAL_COLUMNS,
    ZOOM_COLUMNS,
    ZOOM_DATE_FORMATS,
    ZOOM_SECTIONS,
)
from consult.timeutil import date_in_range, date_range_message, localize

MAX_REPORT_BYTES = 2 * 1024 * 1024
MAX_LINES_NAMED = 5  # a refusal names this many bad lines, then counts the rest


@dataclass(frozen=True)
class ReportPerson:
    """One person of a report, with every join added up."""

    name: str
    email: str | None
    minutes: int
    first_join: datetime | None  # aware UTC; None when they never joined
    role: str  # host, panelist, attendee (Zoom); organizer, presenter... (Teams)
    joins: int


@dataclass(frozen=True)
class ParsedReport:
    """What a report says about who attended, source-independent."""

    source: str  # "zoom" or "teams"
    filename: str
    sha256: str
    zone: str
    people: tuple[ReportPerson, ...]


class _Cells(list):
    """One CSV record's cells, with the line of the file it starts on."""

    number: int = 0


@dataclass
class _Row:
    line: int
    name: str
    email: str | None
    seconds: int
    join_text: str | None
    role: str


@dataclass
class _Tally:
    name: str
    email: str | None
    role: str
    seconds: int = 0
    joins: int = 0
    join_texts: list[tuple[int, str]] = field(default_factory=list)


class _BadLines(Exception):
    """Lines of a recognised report that cannot be read: (line number, problem)."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems)
        self.problems = problems


def not_a_report() -> ValidationFailed:
    return ValidationFailed(
        _("This does not look like a Zoom or Teams attendance report."),
        field="report",
    )


def bad_lines(problems: list[tuple[int, str]]) -> ValidationFailed:
    """The whole report refused, naming each line that cannot be read."""
    shown = "; ".join(
        _("line %(number)d: %(problem)s", number=number, problem=problem)
        for number, problem in problems[:MAX_LINES_NAMED]
    )
    more = len(problems) - MAX_LINES_NAMED
    if more > 0:
        shown += "; " + ngettext(
            "and %(num)d more line", "and %(num)d more lines", more
        )
    return ValidationFailed(
        _(
            "Nothing was imported: some lines of this report cannot be read "
            "(%(lines)s). Correct them, or export the report again, and upload "
            "the whole file again.",
            lines=shown,
        ),
        field="report",
    )


def parse_report(data: bytes, *, filename: str, zone: str) -> ParsedReport:
    """Detect the source and encoding of a report and total each person's time.

    A report with lines that cannot be read is refused whole, naming each
    line: importing the rest would mark the people on those lines absent.
    """
    if len(data) > MAX_REPORT_BYTES:
        raise ValidationFailed(
            _("The report is larger than %(mb)d MB.", mb=MAX_REPORT_BYTES // 2**20),
            field="report",
        )
    source, rows = _read_report(_decode(data))
    try:
        if source == "teams":
            tallies, formats = _teams_tallies(rows), TEAMS_DATE_FORMATS
        else:
            tallies, formats = _zoom_tallies(rows), ZOOM_DATE_FORMATS
        people = _people(tallies, formats, zone)
    except _BadLines as exc:
        raise bad_lines(sorted(exc.problems)) from None
    if not people:
        raise ValidationFailed(
            _("The report lists nobody. Check that you exported the full report."),
            field="report",
        )
    return ParsedReport(
        source=source,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        zone=zone,
        people=people,
    )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif len(data) > 1 and data[1:2] == b"\x00":
        encoding = "utf-16-le"  # UTF-16 saved without its byte-order mark
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    try:
        # Reports re-saved by a spreadsheet on Windows are often cp1252.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise not_a_report() from exc


def _read_report(text: str) -> tuple[str, list[_Cells]]:
    """The source and the rows, split by whichever delimiter finds a header.

    Teams writes tabs and puts commas inside its dates; Zoom writes commas. A
    tab in one name of a Zoom report is data, so the delimiter is the one
    whose reading has the report's header line, not the first one seen.
    """
    delimiters = ("\t", ",") if "\t" in text else (",",)
    for delimiter in delimiters:
        try:
            rows = _read_rows(text, delimiter)
        except csv.Error:
            continue
        if any(_find_header(rows, c) is not None for c in TEAMS_HEADERS):
            return "teams", rows
        if _find_header(rows, ZOOM_COLUMNS) is not None:
            return "zoom", rows
    raise not_a_report()


def _read_rows(text: str, delimiter: str) -> list[_Cells]:
    rows = []
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    start = 1
    for record in reader:
        cells = _Cells(cell.strip() for cell in record)
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
            if key == "role":
                continue  # older Teams exports have no role column
            return None
        found[key] = index
    return found


def _find_header(rows, columns) -> int | None:
    return next((i for i, row in enumerate(rows) if _header_map(row, columns)), None)


def _sections(rows, columns):
    """Yield (title line above, header map, header width, data rows) per header."""
    index = 0
    while index < len(rows):
        header = _header_map(rows[index], columns)
        if header is None:
            index += 1
            continue
        title = _title(rows[index - 1]) if index else ""
        width = len(rows[index])
        body = []
        index += 1
        while index < len(rows) and any(rows[index]):
            if _header_map(rows[index], columns) or _is_title(rows[index]):
                break
            body.append(rows[index])
            index += 1
        yield title, header, width, body


def _shifted(row: _Cells, width: int) -> str | None:
    """A problem when the row has more filled cells than its header has columns."""
    if len(row) > width and any(row[width:]):
        return ngettext(
            "%(num)d field where the header has %(expected)d (a name with a "
            "tab or comma in it must be in double quotes)",
            "%(num)d fields where the header has %(expected)d (a name with a "
            "tab or comma in it must be in double quotes)",
            len(row),
            expected=width,
        )
    return None


def _title(row: list[str]) -> str:
    return " ".join(cell for cell in row if cell).strip().lower()


def _is_title(row: list[str]) -> bool:
    cells = [cell for cell in row if cell]
    return len(cells) == 1 and _title(row) in ZOOM_SECTIONS


def _cell(row: list[str], header: dict[str, int], key: str) -> str | None:
    index = header.get(key)
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return None if value in ("", "--") else value


def _email(raw: str | None) -> str | None:
    return raw.strip().lower() if raw and "@" in raw else None


def _zoom_tallies(rows) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    problems: list[tuple[int, str]] = []
    for title, header, width, body in _sections(rows, ZOOM_COLUMNS):
        role = ZOOM_SECTIONS.get(title, "attendee")
        for row in body:
            name = _cell(row, header, "name")
            if not name:
                continue
            minutes = _cell(row, header, "minutes")
            problem = _shifted(row, width)
            if (
                problem is None
                and minutes is not None
                and parse_int(minutes, low=0) is None
            ):
                problem = _('"%(value)s" is not a number of minutes', value=minutes)
            if problem is not None:
                problems.append((row.number, problem))
                continue
            _add_row(
                tallies, row, header, name, parse_int(minutes or 0, low=0) * 60, role
            )
    if problems:
        raise _BadLines(problems)
    return tallies


def _add_row(tallies, row, header, name: str, seconds: int, role: str) -> None:
    """Count one readable report line towards its person's tally."""
    _add(
        tallies,
        _Row(
            line=row.number,
            name=name,
            email=_email(_cell(row, header, "email")),
            seconds=seconds,
            join_text=_cell(row, header, "join"),
            role=role,
        ),
    )


def _teams_tallies(rows) -> dict[str, _Tally]:
    problems: list[tuple[int, str]] = []
    joins = _teams_section(rows, TEAMS_JOIN_COLUMNS, problems)
    totals = _teams_section(rows, TEAMS_TOTAL_COLUMNS, problems)
    if problems:
        raise _BadLines(problems)
    if not totals:
        return joins
    # Teams' own total merges overlapping joins (two devices at once), which
    # a sum of the activity rows would count twice; the activities only
    # tell us how often someone joined.
    for key, tally in totals.items():
        tally.joins = joins[key].joins if key in joins else 1
    return totals


def _teams_section(rows, columns, problems) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for _title_text, header, width, body in _sections(rows, columns):
        for row in body:
            name = _cell(row, header, "name")
            if not name:
                continue
            duration = _cell(row, header, "duration")
            seconds = _duration_seconds(duration)
            problem = _shifted(row, width)
            if problem is None and seconds is None:
                problem = _('"%(value)s" is not a duration', value=duration)
            if problem is not None:
                problems.append((row.number, problem))
                continue
            role = (_cell(row, header, "role") or "attendee").lower()
            _add_row(tallies, row, header, name, seconds, role)
    return tallies


def _duration_seconds(text: str | None) -> int | None:
    """Seconds of "1h 5m 3s" or "1:05:03"; None when the text is neither."""
    if not text:
        return 0
    match = DURATION.match(text) or CLOCK_DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    parts = {k: parse_int(v or 0, low=0) for k, v in match.groupdict().items()}
    if None in parts.values():
        return None
    return parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def person_key(name: str, email: str | None) -> str:
    """Rows of one person: same email, or same name when there is no email."""
    return f"email:{email}" if email else "name:" + " ".join(name.lower().split())


def _add(tallies: dict[str, _Tally], row: _Row) -> None:
    key = person_key(row.name, row.email)
    tally = tallies.setdefault(key, _Tally(row.name, row.email, row.role))
    tally.seconds += row.seconds
    if row.join_text:
        tally.joins += 1
        tally.join_texts.append((row.line, row.join_text))


def _people(tallies, formats, zone: str) -> tuple[ReportPerson, ...]:
    texts = [item for tally in tallies.values() for item in tally.join_texts]
    date_format = _date_format(texts, formats)
    people = []
    for tally in tallies.values():
        joins = [
            _join_time(line, text, date_format, zone) for line, text in tally.join_texts
        ]
        people.append(
            ReportPerson(
                name=tally.name,
                email=tally.email,
                # Far past any threshold, and within the column's range.
                minutes=min(tally.seconds // 60, INT_MAX),
                first_join=min(joins) if joins else None,
                role=tally.role,
                joins=tally.joins,
            )
        )
    return tuple(people)


def _join_time(line: int, text: str, date_format: str, zone: str) -> datetime:
    wall = datetime.strptime(text, date_format)
    if not date_in_range(wall):
        raise ValidationFailed(
            _(
                "Nothing was imported: the join time %(time)s on line %(line)s is "
                "out of range. %(range)s",
                time=text,
                line=line,
                range=date_range_message(),
            ),
            field="report",
        )
    return localize(wall, zone)


def _unread(texts: list[tuple[int, str]], date_format: str) -> list[tuple[int, str]]:
    unread = []
    for line, text in texts:
        try:
            datetime.strptime(text, date_format)
        except ValueError:
            unread.append((line, text))
    return unread


def _date_format(texts: list[tuple[int, str]], formats) -> str:
    """The format reading the most join times (the first, on a tie); the lines
    it cannot read are named, since one garbled time is not a format."""
    best, best_unread = formats[0], _unread(texts, formats[0])
    for candidate in formats[1:]:
        if not best_unread:
            break
        unread = _unread(texts, candidate)
        if len(unread) < len(best_unread):
            best, best_unread = candidate, unread
    if not best_unread:
        return best
    if len(best_unread) == len(texts):
        raise ValidationFailed(
            _("The join times in this report are in a date format we do not read."),
            field="report",
        )
    raise _BadLines(
        [
            (line, _('"%(value)s" is not a join time', value=text))
            for line, text in best_unread
        ]
    )
