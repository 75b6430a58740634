"""Read Zoom and Microsoft Teams attendance reports into one list of people."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.numbers import INT_MAX, parse_int
from consult.timeutil import localize

MAX_REPORT_BYTES = 2 * 1024 * 1024

# Zoom webinar and meeting reports; the header names are what Zoom writes.
_ZOOM_COLUMNS = {
    "name": ("user name (original name)", "name (original name)", "name"),
    "email": ("email", "user email"),
    "join": ("join time",),
    "minutes": ("time in session (minutes)", "duration (minutes)"),
}
# Teams: "2. Participants" has a total per person, "3. In-Meeting Activities"
# (and older single-section exports) one row per join.
_TEAMS_TOTAL_COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email",),
    "join": ("first join",),
    "duration": ("in-meeting duration",),
    "role": ("role",),
}
_TEAMS_JOIN_COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email",),
    "join": ("join time",),
    "duration": ("duration",),
    "role": ("role",),
}
_TEAMS_HEADERS = (_TEAMS_TOTAL_COLUMNS, _TEAMS_JOIN_COLUMNS)
_ZOOM_SECTIONS = {
    "host details": "host",
    "panelist details": "panelist",
    "attendee details": "attendee",
}
# Tried in order; the first that reads every timestamp of the file wins, so a
# day-first export is not misread one row at a time.
_ZOOM_DATE_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
_TEAMS_DATE_FORMATS = (
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%d/%m/%Y, %H:%M:%S",
    "%d/%m/%y, %H:%M:%S",
    "%d.%m.%y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d, %H:%M:%S",
)
_DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+)\s*s)?$"
)
_CLOCK_DURATION = re.compile(r"^(?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2})$")


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


@dataclass
class _Row:
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
    join_texts: list[str] = field(default_factory=list)


def not_a_report() -> ValidationFailed:
    return ValidationFailed(
        _("This does not look like a Zoom or Teams attendance report."),
        field="report",
    )


def parse_report(data: bytes, *, filename: str, zone: str) -> ParsedReport:
    """Detect the source and encoding of a report and total each person's time."""
    if len(data) > MAX_REPORT_BYTES:
        raise ValidationFailed(
            _("The report is larger than %(mb)d MB.", mb=MAX_REPORT_BYTES // 2**20),
            field="report",
        )
    rows = _read_rows(_decode(data))
    if any(_find_header(rows, c) is not None for c in _TEAMS_HEADERS):
        source, tallies = "teams", _teams_tallies(rows)
        formats = _TEAMS_DATE_FORMATS
    elif _find_header(rows, _ZOOM_COLUMNS) is not None:
        source, tallies = "zoom", _zoom_tallies(rows)
        formats = _ZOOM_DATE_FORMATS
    else:
        raise not_a_report()
    people = _people(tallies, formats, zone)
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


def _read_rows(text: str) -> list[list[str]]:
    # Teams writes tabs and puts commas inside its dates; Zoom writes commas.
    delimiter = "\t" if "\t" in text else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as exc:
        raise not_a_report() from exc


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
    """Yield (title line above, header map, data rows) for each matching header."""
    index = 0
    while index < len(rows):
        header = _header_map(rows[index], columns)
        if header is None:
            index += 1
            continue
        title = _title(rows[index - 1]) if index else ""
        body = []
        index += 1
        while index < len(rows) and any(rows[index]):
            if _header_map(rows[index], columns) or _is_title(rows[index]):
                break
            body.append(rows[index])
            index += 1
        yield title, header, body


def _title(row: list[str]) -> str:
    return " ".join(cell for cell in row if cell).strip().lower()


def _is_title(row: list[str]) -> bool:
    cells = [cell for cell in row if cell]
    return len(cells) == 1 and _title(row) in _ZOOM_SECTIONS


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
    for title, header, body in _sections(rows, _ZOOM_COLUMNS):
        role = _ZOOM_SECTIONS.get(title, "attendee")
        for row in body:
            name = _cell(row, header, "name")
            if not name:
                continue
            minutes = _cell(row, header, "minutes")
            if minutes is not None and parse_int(minutes, low=0) is None:
                raise not_a_report()
            _add(
                tallies,
                _Row(
                    name=name,
                    email=_email(_cell(row, header, "email")),
                    seconds=parse_int(minutes or 0, low=0) * 60,
                    join_text=_cell(row, header, "join"),
                    role=role,
                ),
            )
    return tallies


def _teams_tallies(rows) -> dict[str, _Tally]:
    joins: dict[str, _Tally] = {}
    for _title_text, header, body in _sections(rows, _TEAMS_JOIN_COLUMNS):
        for row in body:
            if parsed := _teams_row(row, header):
                _add(joins, parsed)
    totals: dict[str, _Tally] = {}
    for _title_text, header, body in _sections(rows, _TEAMS_TOTAL_COLUMNS):
        for row in body:
            if parsed := _teams_row(row, header):
                _add(totals, parsed)
    if not totals:
        return joins
    # Teams' own total merges overlapping joins (two devices at once), which
    # a sum of the activity rows would count twice; the activities only
    # tell us how often someone joined.
    for key, tally in totals.items():
        tally.joins = joins[key].joins if key in joins else 1
    return totals


def _teams_row(row, header) -> _Row | None:
    name = _cell(row, header, "name")
    if not name:
        return None
    return _Row(
        name=name,
        email=_email(_cell(row, header, "email")),
        seconds=_duration_seconds(_cell(row, header, "duration")),
        join_text=_cell(row, header, "join"),
        role=(_cell(row, header, "role") or "attendee").lower(),
    )


def _duration_seconds(text: str | None) -> int:
    if not text:
        return 0
    match = _DURATION.match(text) or _CLOCK_DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        raise not_a_report()
    parts = {k: parse_int(v or 0, low=0) for k, v in match.groupdict().items()}
    if None in parts.values():
        raise not_a_report()
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
        tally.join_texts.append(row.join_text)


def _people(tallies, formats, zone: str) -> tuple[ReportPerson, ...]:
    texts = [text for tally in tallies.values() for text in tally.join_texts]
    date_format = _date_format(texts, formats)
    people = []
    for tally in tallies.values():
        joins = [
            localize(datetime.strptime(text, date_format), zone)
            for text in tally.join_texts
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


def _date_format(texts: list[str], formats) -> str:
    for candidate in formats:
        try:
            for text in texts:
                datetime.strptime(text, candidate)
        except ValueError:
            continue
        return candidate
    raise ValidationFailed(
        _("The join times in this report are in a date format we do not read."),
        field="report",
    )
