"""The full workbook holds what openpyxl's writer made of the same sheets.

Issue 22 changed how the workbook is written (consult.xlsx), not what it
holds: the download and the scheduler's file are compared, as a spreadsheet
reads them, with openpyxl's own writer on the same sheets
(tests/xlsx_reference.py): every value, type, date and time number format,
the bold header, widths and titles. An anonymous survey's rows are shuffled
at every build, so survey sheets are compared as sets of rows.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.dashboard.services.export_files import build_workbook
from consult.dashboard.services.exports import workbook_sheets
from consult.demo import seed_demo
from consult.export_log import ExportLog
from consult.extensions import db
from tests.dashboard.conftest import FORMULA
from tests.xlsx_reference import content, reference_xlsx


def _survey_sheets(sheets) -> frozenset[str]:
    return frozenset(s.title for s in sheets if s.title.startswith("Survey"))


def test_the_downloaded_workbook_holds_what_openpyxl_wrote(
    dash_event, organiser, login, client
):
    dash_event.test_people[0].full_name = FORMULA
    db.session.commit()
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/export.xlsx")
    assert response.status_code == 200
    sheets = workbook_sheets(dash_event)
    unordered = _survey_sheets(sheets)
    assert unordered  # the event has a survey: its sheet is compared too
    ours = content(response.data, unordered=unordered)
    assert ours == content(reference_xlsx(sheets), unordered=unordered)
    # The poisoned name is text with its apostrophe, the dates have formats.
    cells = {cell[1] for row in ours if isinstance(row, list) for cell in row}
    assert "'" + FORMULA in cells
    formats = {cell[3] for row in ours if isinstance(row, list) for cell in row}
    assert "yyyy-mm-dd hh:mm:ss" in formats
    assert db.session.scalar(select(ExportLog.kind)) == "workbook"


def test_the_demo_workbook_the_scheduler_builds_holds_the_same_content(app, now):
    event = seed_demo(now=now).event
    db.session.commit()
    built = build_workbook(event, now=now, progress=lambda percent, step: None)
    sheets = workbook_sheets(event)
    unordered = _survey_sheets(sheets)
    ours = content(built.data, unordered=unordered)
    assert ours == content(reference_xlsx(sheets), unordered=unordered)
    assert built.rows == sum(len(sheet.rows) for sheet in sheets)
    titles = [row[1] for row in ours if isinstance(row, tuple)]
    assert titles[:3] == ["Registrants", "Inputs", "Priorities"]
