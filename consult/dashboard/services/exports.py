"""The event's data as spreadsheet sheets, and the log of who exported what.

Every sheet is one query (plus the event's few registration questions) and
one row per record; ``consult.exports`` writes them with formula-like text
neutralised. Exports hold personal data: each download is logged, here and
wherever else an organiser downloads the event's data (the registrations
list, the inputs list, a survey's results).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.challenges.services.export import inputs_sheet, priorities_sheet
from consult.dashboard.models import EXPORT_FORMATS, EXPORT_KINDS, ExportLog
from consult.dashboard.services.surveys import event_surveys
from consult.errors import PermissionDenied
from consult.events.models import Event
from consult.exports import BOM, Sheet, sheet_title
from consult.extensions import db
from consult.registration.services.organiser_export import registrants_sheet
from consult.surveys.export import responses_sheet

# What the dashboard's export log calls each kind.
EXPORT_LABELS = {
    "registrants": _l("Registrants"),
    "inputs": _l("Inputs"),
    "priorities": _l("Priorities"),
    "surveys": _l("Survey responses"),
    "workbook": _l("Workbook"),
    "registrant_list": _l("Registrants as filtered on the Registrations page"),
}


def log_export(
    event: Event, user, *, kind: str, fmt: str, rows: int, now: datetime
) -> ExportLog:
    """Record that ``user`` downloaded an export of the event; flushes."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export {kind}.{fmt}")
    entry = ExportLog(
        event_id=event.id,
        user_id=user.id,
        user_email=user.email,
        kind=kind,
        format=fmt,
        row_count=rows,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def csv_row_count(text: str) -> int:
    """The data rows (header excluded) of a CSV text made by ``consult.exports``.

    Read as CSV, not counted by line: a cell may hold line breaks.
    """
    records = sum(1 for _row in csv.reader(io.StringIO(text.removeprefix(BOM))))
    return max(records - 1, 0)


def survey_sheets(event: Event) -> list[Sheet]:
    """One sheet of responses per survey that may be exported (anonymous ones
    need five responses), titled after the survey."""
    sheets = []
    for survey in event_surveys(event):
        try:
            sheet = responses_sheet(survey)
        except PermissionDenied:
            continue
        title = _("Survey %(id)d %(title)s", id=survey.id, title=survey.title)
        sheets.append(Sheet(sheet_title(title), sheet.header, list(sheet.rows)))
    return sheets


def survey_sheet(event: Event, survey_id: int) -> Sheet | None:
    """The responses of one survey of the event; None when it has no such survey."""
    for survey in event_surveys(event):
        if survey.id == survey_id:
            sheet = responses_sheet(survey)
            return Sheet(sheet.title, sheet.header, list(sheet.rows))
    return None


# Each area owns its tables' columns (registrants: ``registration``; inputs
# and priorities: ``challenges``; survey responses: ``surveys``), and its own
# pages export the same sheets: the dashboard only composes them.
SHEETS = {
    "registrants": registrants_sheet,
    "inputs": inputs_sheet,
    "priorities": priorities_sheet,
}


def workbook_sheets(event: Event) -> list[Sheet]:
    """Registrants, inputs, priorities and each exportable survey, as sheets."""
    return [
        registrants_sheet(event),
        inputs_sheet(event),
        priorities_sheet(event),
        *survey_sheets(event),
    ]


def row_count(sheets) -> int:
    return sum(len(sheet.rows) for sheet in sheets)
