"""The programme's events compared, for its organisers, and as a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from consult.exports import Sheet
from consult.programmes.models import Programme
from consult.programmes.services.editing import require_editor
from consult.programmes.services.figures import EventRow, GroupCount, event_rows


@dataclass
class ProgrammeDashboard:
    programme: Programme
    rows: list[EventRow]
    groups: list[tuple[str, str]]  # (key, label) of every group, first seen first


def programme_dashboard(programme: Programme, actor) -> ProgrammeDashboard:
    """Every event of the programme (drafts too) with its figures."""
    require_editor(actor, programme)
    rows = event_rows(list(programme.events), satisfaction=True)
    groups: dict[str, str] = {}
    for row in rows:
        for group in row.groups:
            groups.setdefault(group.key, group.label)
    return ProgrammeDashboard(programme, rows, list(groups.items()))


def group_of(row: EventRow, key: str) -> GroupCount | None:
    return next((g for g in row.groups if g.key == key), None)


def dashboard_sheet(board: ProgrammeDashboard, *, now: datetime) -> Sheet:
    """One row per event: the dashboard's columns, shares per group."""
    header = [
        _("Event"),
        _("Starts (UTC)"),
        _("Registrations"),
        _("Participants"),
        _("Attended"),
        _("Attendance rate (%)"),
        *[
            _("%(group)s (%% of participants)", group=label)
            for _k, label in board.groups
        ],
        _("Satisfaction (0–10)"),
        _("Satisfaction question"),
    ]
    rows = []
    for row in board.rows:
        shares = []
        for key, _label in board.groups:
            group = group_of(row, key)
            shares.append(None if group is None else row.share(group))
        rows.append(
            [
                row.event.title,
                row.event.start_at,
                row.registrations,
                row.participants,
                row.attended,
                row.attendance_rate(now),
                *shares,
                None if row.satisfaction is None else row.satisfaction.mean,
                "" if row.satisfaction is None else row.satisfaction.question,
            ]
        )
    return Sheet(_("Events"), header, rows)
