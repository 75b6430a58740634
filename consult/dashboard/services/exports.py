"""The event's data as spreadsheet sheets, and what the export log calls them.

Every sheet is one query (plus the event's few registration questions) and
one row per record; ``consult.exports`` writes them with formula-like text
neutralised, and logs each download (exports hold personal data).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.challenges.services.export import inputs_sheet, priorities_sheet
from consult.dashboard.services.surveys import event_surveys
from consult.errors import PermissionDenied
from consult.events.models import Event
from consult.exports import Sheet, sheet_title
from consult.live.services.export import live_sheets
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
    """Registrants, inputs, priorities, each exportable survey and the live
    session (questions, polls), as sheets."""
    return [
        registrants_sheet(event),
        inputs_sheet(event),
        priorities_sheet(event),
        *survey_sheets(event),
        *live_sheets(event),
    ]


def row_count(sheets) -> int:
    return sum(len(sheet.rows) for sheet in sheets)
