"""Match a parsed attendance report to an event's registrations, and apply it."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.errors import Conflict, Problems
from consult.events.access import require_manager
from consult.extensions import db
from consult.facts import announce
from consult.notifications.withdrawals import (
    recorded_reason,
    withdraw_attendance_nudges,
)
from consult.registration.attendance.parsers import ParsedReport, ReportPerson
from consult.registration.models import AttendanceImport, Registration
from consult.timeutil import local_date

# What a meeting adds after a display name: "Tan Wei Ming (PJ Council)",
# "Lukas Becker (Guest)", "Siti Aminah (External)".
NAME_IN_BRACKETS = re.compile(r"^(?P<name>.*\S)\s*\([^()]*\)$")


@dataclass
class MatchedRow:
    """A registration found in the report, with the time it spent there."""

    registration: Registration
    people: list[ReportPerson]
    matched_by: str  # "email", "name" or "hand" (linked in the preview)
    minutes: int = 0
    first_join: datetime | None = None
    last_leave: datetime | None = None
    reaches_threshold: bool = False
    linked: list[ReportPerson] = field(default_factory=list)  # by hand

    @property
    def confirmed(self) -> bool:
        return self.registration.status == "confirmed"


@dataclass
class ImportPreview:
    """What applying a report would do: matched, unmatched and absent people."""

    report: ParsedReport
    threshold_minutes: int
    matched: list[MatchedRow] = field(default_factory=list)
    not_confirmed: list[MatchedRow] = field(default_factory=list)
    unmatched: list[ReportPerson] = field(default_factory=list)
    absent: list[Registration] = field(default_factory=list)
    previous: AttendanceImport | None = None
    # Confirmed registrants an unmatched row may be linked to by hand.
    linkable: list[Registration] = field(default_factory=list)
    links: dict[int, int] = field(default_factory=dict)  # person index -> id
    # The days of the report's times in the event's zone that are not the
    # event's days (one instant each, to be shown as a date), and those days.
    stray_days: list[datetime] = field(default_factory=list)
    event_days: list[datetime] = field(default_factory=list)

    @property
    def attended_count(self) -> int:
        return sum(1 for row in self.matched if row.reaches_threshold)

    def index_of(self, person: ReportPerson) -> int:
        """The person's place in the report: the key of a link made by hand."""
        return next(i for i, p in enumerate(self.report.people) if p is person)


def normalise_name(name: str) -> str:
    """Compare names regardless of case, spacing and accents: 'Élodie' = 'elodie'."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def bare_name(name: str) -> str:
    """The name without what follows it in brackets: 'Tan Wei Ming (PJ Council)'."""
    match = NAME_IN_BRACKETS.match(name.strip())
    return normalise_name(match.group("name") if match else name)


def preview_import(
    event,
    report: ParsedReport,
    *,
    threshold_minutes: int,
    links: Mapping[int, int] | None = None,
) -> ImportPreview:
    """Match each person of the report to a registration: by the organiser's
    link, by email, then by name (with or without what follows in brackets).

    `links` maps a person's place in the report to a confirmed registration's
    id; a link to anyone else is refused.
    """
    registrations = sorted(
        db.session.scalars(
            select(Registration).where(
                Registration.event_id == event.id, Registration.erased_at.is_(None)
            )
        ),
        key=_sort_key,
    )
    by_email = {r.email: r for r in registrations if r.email}
    name_counts = Counter(normalise_name(r.full_name) for r in registrations)
    by_name = {
        normalise_name(r.full_name): r
        for r in registrations
        if name_counts[normalise_name(r.full_name)] == 1
    }
    preview = ImportPreview(report=report, threshold_minutes=threshold_minutes)
    preview.linkable = [r for r in registrations if r.status == "confirmed"]
    preview.links = _checked_links(report, preview.linkable, links or {})
    by_id = {r.id: r for r in preview.linkable}
    rows: dict[int, MatchedRow] = {}
    for index, person in enumerate(report.people):
        registration, how = by_id.get(preview.links.get(index, 0)), "hand"
        if registration is None:
            registration, how = by_email.get(person.email or ""), "email"
        if registration is None:
            # A guest joins without email, or with another address than the
            # one they registered with; a unique name is still a fair match.
            registration, how = by_name.get(normalise_name(person.name)), "name"
        if registration is None:
            registration = by_name.get(bare_name(person.name))
        if registration is None:
            preview.unmatched.append(person)
            continue
        row = rows.setdefault(registration.id, MatchedRow(registration, [], how))
        row.people.append(person)
        if how == "hand":
            row.linked.append(person)
    for row in sorted(rows.values(), key=lambda r: _sort_key(r.registration)):
        _total(row, threshold_minutes)
        target = preview.matched if row.confirmed else preview.not_confirmed
        target.append(row)
    preview.absent = [
        r for r in registrations if r.status == "confirmed" and r.id not in rows
    ]
    preview.previous = _previous_import(event, report.sha256, threshold_minutes)
    _check_days(preview, event)
    return preview


def _checked_links(report, linkable, links: Mapping[int, int]) -> dict[int, int]:
    """The links, or ValidationFailed naming every row whose choice is wrong."""
    allowed = {r.id for r in linkable}
    checked = {}
    problems = Problems()
    for index, registration_id in links.items():
        if not 0 <= index < len(report.people) or registration_id not in allowed:
            problems.add(
                _(
                    "The registrant chosen for a row of the report is not a "
                    "confirmed registrant of this event any more. Choose again."
                ),
                f"link-{index}",
            )
        checked[index] = registration_id
    problems.raise_any()
    return checked


def _check_days(preview: ImportPreview, event) -> None:
    """Find the report's days, in the event's zone, outside the event's days.

    A report of another session, or read in the wrong zone, shows here
    before it marks anyone.
    """
    zone = event.timezone
    first, last = local_date(event.start_at, zone), local_date(event.end_at, zone)
    preview.event_days = (
        [event.start_at]
        if first == last
        else [
            event.start_at,
            event.end_at,
        ]
    )
    stray: dict[date, datetime] = {}
    for person in preview.report.people:
        for moment in (person.first_join, person.last_leave):
            if moment is not None and not first <= local_date(moment, zone) <= last:
                stray.setdefault(local_date(moment, zone), moment)
    preview.stray_days = [stray[day] for day in sorted(stray)]


def _sort_key(registration: Registration) -> tuple[str, int]:
    # Sorted here, not in SQL: collations differ between SQLite and PostgreSQL.
    return normalise_name(registration.full_name), registration.id


def _total(row: MatchedRow, threshold_minutes: int) -> None:
    # Several report entries for one registration (a guest link and an email
    # login, say) are one person's time, added like Zoom adds rejoins.
    row.minutes = sum(p.minutes for p in row.people)
    joins = [p.first_join for p in row.people if p.first_join is not None]
    row.first_join = min(joins) if joins else None
    leaves = [p.last_leave for p in row.people if p.last_leave is not None]
    row.last_leave = max(leaves) if leaves else None
    row.reaches_threshold = row.minutes >= threshold_minutes


def _previous_import(event, sha256: str, threshold_minutes: int):
    return db.session.scalar(
        select(AttendanceImport)
        .where(
            AttendanceImport.event_id == event.id,
            AttendanceImport.sha256 == sha256,
            AttendanceImport.threshold_minutes == threshold_minutes,
        )
        .order_by(AttendanceImport.id.desc())
        .limit(1)
    )


def apply_import(
    event,
    actor,
    report: ParsedReport,
    *,
    threshold_minutes: int,
    now: datetime,
    filename: str,
    links: Mapping[int, int] | None = None,
) -> AttendanceImport:
    """Mark matched confirmed registrants attended or not, and record the import.

    `links` are the organiser's matches made by hand in the preview.
    """
    preview = preview_import(
        event, report, threshold_minutes=threshold_minutes, links=links
    )
    changed = sum(_apply_row(row, threshold_minutes, now) for row in preview.matched)
    # A participant report is the attendance: follow-ups may go out now.
    complete_attendance(event, now=now, via="import")
    if preview.previous is not None and not changed:
        # The same file with the same threshold: nothing to do, nothing to log.
        return preview.previous
    record = AttendanceImport(
        event_id=event.id,
        source=report.source,
        filename=filename[:255],
        sha256=report.sha256,
        threshold_minutes=threshold_minutes,
        matched=len(preview.matched),
        unmatched=len(preview.unmatched),
        imported_by_id=actor.id if actor is not None else None,
        imported_at=now,
    )
    db.session.add(record)
    db.session.flush()
    announce(event, "attendance.imported", record, now=now)
    return record


def complete_attendance(event, *, now: datetime, via: str) -> bool:
    """Declare the event's attendance complete; True when it was not yet.

    Follow-ups to attendees and absentees wait for this (a check-in or two
    during the event is not the attendance). The first declaration stands.
    """
    if event.attendance_completed_at is not None:
        return False
    event.attendance_completed_at = now
    event.attendance_completed_via = via
    withdraw_attendance_nudges(
        event.id,
        reason=recorded_reason(
            lambda: _("The attendance was recorded before this message left.")
        ),
    )
    db.session.flush()
    return True


def mark_attendance_complete(event, actor, *, now: datetime) -> bool:
    """The organiser's "attendance is complete" (check-ins being all there is).

    Refused before the event has started: there is no attendance to complete.
    """
    require_manager(actor, event)
    if now < event.start_at:
        raise Conflict(
            _("Attendance can be marked complete once the event has started.")
        )
    return complete_attendance(event, now=now, via="organiser")


def _apply_row(row: MatchedRow, threshold_minutes: int, now: datetime) -> bool:
    """Update one registration; True when something changed."""
    registration = row.registration
    # A second report (Teams after Zoom, or a re-export) is another view of
    # the same session: keep the longest time seen, never add reports up.
    minutes = max(registration.attended_minutes or 0, row.minutes)
    attended = minutes >= threshold_minutes or registration.checked_in_at is not None
    if registration.attended_minutes == minutes and registration.attended == attended:
        return False
    registration.attended_minutes = minutes
    registration.attended = attended
    registration.updated_at = now
    return True


def recent_imports(event, *, limit: int = 20) -> list[AttendanceImport]:
    """The event's latest applied reports, newest first."""
    return list(
        db.session.scalars(
            select(AttendanceImport)
            .where(AttendanceImport.event_id == event.id)
            .order_by(AttendanceImport.imported_at.desc(), AttendanceImport.id.desc())
            .limit(limit)
        )
    )
