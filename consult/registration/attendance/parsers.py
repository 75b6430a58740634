"""Read Zoom and Microsoft Teams attendance reports into one list of people."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

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
    ZOOM_HOST_EMAIL_COLUMNS,
    ZOOM_NAME_ROLE,
    ZOOM_SECTIONS,
    ZOOM_SUMMARY_MARKS,
)
from consult.registration.attendance.refusals import (
    BadLines,
    Problem,
    bad_lines,
    not_a_report,
)
from consult.registration.attendance.tables import (
    Cells,
    Section,
    email_of,
    find_header,
    read_rows,
    sections,
    shifted,
)
from consult.registration.attendance.times import Stamp, read_stamps

MAX_REPORT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ReportPerson:
    """One person of a report, with every join added up."""

    name: str
    email: str | None
    minutes: int
    first_join: datetime | None  # aware UTC; None when they never joined
    role: str  # host, co-host, panelist, attendee (Zoom); organizer... (Teams)
    joins: int
    last_leave: datetime | None = None  # aware UTC; None when not reported


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
    line: int
    name: str
    email: str | None
    seconds: int
    join: Stamp | None
    leave: Stamp | None
    role: str


@dataclass
class _Tally:
    name: str
    email: str | None
    role: str
    seconds: int = 0
    joins: int = 0
    join_stamps: list[Stamp] = field(default_factory=list)
    leave_stamps: list[Stamp] = field(default_factory=list)


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
    except BadLines as exc:
        raise bad_lines(exc.problems) from None
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


def _read_report(text: str) -> tuple[str, list[Cells]]:
    """The source and the rows, split by whichever delimiter finds a header.

    Teams writes tabs and puts commas inside its dates; Zoom writes commas. A
    tab in one name of a Zoom report is data, so the delimiter is the one
    whose reading has the report's header line, not the first one seen.
    """
    delimiters = ("\t", ",") if "\t" in text else (",",)
    for delimiter in delimiters:
        try:
            rows = read_rows(text, delimiter)
        except csv.Error:
            continue
        if any(find_header(rows, c) is not None for c in TEAMS_HEADERS):
            return "teams", rows
        if find_header(rows, ZOOM_COLUMNS) is not None:
            return "zoom", rows
    raise not_a_report()


def _zoom_host_emails(rows) -> set[str]:
    """The host's email a Zoom meeting report gives in its summary table."""
    emails = set()
    for index, row in enumerate(rows[:-1]):
        names = [cell.lower() for cell in row]
        if not any(mark in names for mark in ZOOM_SUMMARY_MARKS):
            continue
        for column in ZOOM_HOST_EMAIL_COLUMNS:
            if column in names and names.index(column) < len(rows[index + 1]):
                email = email_of(rows[index + 1][names.index(column)])
                if email:
                    emails.add(email)
    return emails


def _zoom_person(section: Section, row, hosts: set[str]) -> tuple[str, str]:
    """The name without the role Zoom appends to it, and the person's role.

    The report's own word wins: a role column, then "(Host)" after the name,
    then the section ("Host Details"), then the host named in the summary.
    """
    name = section.cell(row, "name") or ""
    role = ZOOM_SECTIONS.get(section.title, "attendee")
    suffix = ZOOM_NAME_ROLE.match(name)
    if suffix:
        name = suffix.group("name")
        role = suffix.group("role").lower().replace("cohost", "co-host")
    elif email_of(section.cell(row, "email")) in hosts:
        role = "host"
    written = section.cell(row, "role")
    return name, written.lower() if written else role


def _zoom_tallies(rows) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    problems: list[Problem] = []
    hosts = _zoom_host_emails(rows)
    for section in sections(rows, ZOOM_COLUMNS):
        for row in section.body:
            if not section.cell(row, "name"):
                continue
            minutes = section.cell(row, "minutes")
            problem = shifted(row, section)
            if (
                problem is None
                and minutes is not None
                and parse_int(minutes, low=0) is None
            ):
                problem = section.problem(
                    row,
                    "minutes",
                    _('"%(value)s" is not a number of minutes', value=minutes),
                )
            if problem is not None:
                problems.append(problem)
                continue
            name, role = _zoom_person(section, row, hosts)
            seconds = parse_int(minutes or 0, low=0) * 60
            _add_row(tallies, section, row, name, seconds, role)
    if problems:
        raise BadLines(problems)
    return tallies


def _add_row(tallies, section: Section, row, name: str, seconds: int, role: str):
    """Count one readable report line towards its person's tally."""
    _add(
        tallies,
        _Row(
            line=row.number,
            name=name,
            email=email_of(section.cell(row, "email")),
            seconds=seconds,
            join=section.stamp(row, "join"),
            leave=section.stamp(row, "leave"),
            role=role,
        ),
    )


def _teams_tallies(rows) -> dict[str, _Tally]:
    problems: list[Problem] = []
    joins = _teams_section(rows, TEAMS_JOIN_COLUMNS, problems)
    totals = _teams_section(rows, TEAMS_TOTAL_COLUMNS, problems)
    if problems:
        raise BadLines(problems)
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
    for section in sections(rows, columns):
        for row in section.body:
            name = section.cell(row, "name")
            if not name:
                continue
            duration = section.cell(row, "duration")
            seconds = _duration_seconds(duration)
            problem = shifted(row, section)
            if problem is None and seconds is None:
                problem = section.problem(
                    row,
                    "duration",
                    _('"%(value)s" is not a duration', value=duration),
                )
            if problem is not None:
                problems.append(problem)
                continue
            role = (section.cell(row, "role") or "attendee").lower()
            _add_row(tallies, section, row, name, seconds, role)
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
    if row.join:
        tally.joins += 1
        tally.join_stamps.append(row.join)
    if row.leave:
        tally.leave_stamps.append(row.leave)


def _people(tallies, formats, zone: str) -> tuple[ReportPerson, ...]:
    stamps = [
        stamp
        for tally in tallies.values()
        for stamp in (*tally.join_stamps, *tally.leave_stamps)
    ]
    instants = read_stamps(stamps, formats, zone)
    people = []
    for tally in tallies.values():
        joins = [instants[stamp] for stamp in tally.join_stamps]
        leaves = [instants[stamp] for stamp in tally.leave_stamps]
        people.append(
            ReportPerson(
                name=tally.name,
                email=tally.email,
                # Far past any threshold, and within the column's range.
                minutes=min(tally.seconds // 60, INT_MAX),
                first_join=min(joins) if joins else None,
                role=tally.role,
                joins=tally.joins,
                last_leave=max(leaves) if leaves else None,
            )
        )
    return tuple(people)
