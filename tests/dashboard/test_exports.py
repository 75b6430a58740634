"""Exports: one row per record, formula-like text kept as text, every download logged."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from consult.export_log import ExportLog, log_export
from consult.extensions import db
from tests.dashboard.conftest import FORMULA, PAYLOAD


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _poison(event):
    person = event.test_people[0]
    person.full_name = FORMULA
    person.organisation = PAYLOAD
    event.test_inputs[0].title = FORMULA
    db.session.commit()
    return person


def test_registrants_csv_has_one_row_per_registration_and_neutralised_cells(
    dash_event, organiser, login, client
):
    _poison(dash_event)
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/export/registrants.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    rows = _csv_rows(response)
    assert rows[0][:3] == ["ID", "Name", "Email"]
    assert len(rows) == 1 + 14  # 12 confirmed, 1 waiting, 1 pending
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert PAYLOAD in [row[4] for row in rows[1:]]  # plain text, as typed


def test_csv_downloads_name_one_charset(dash_event, organiser, login, client):
    login(organiser)
    base = f"/manage/events/{dash_event.slug}"
    for path in (
        "/export/registrants.csv",
        "/export/priorities.csv",
        "/registrations.csv",
        "/challenges/inputs.csv",
    ):
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert response.headers.getlist("Content-Type") == [
            "text/csv; charset=utf-8"
        ], path
        assert response.headers["Cache-Control"] == "no-store", path


def test_inputs_and_priorities_xlsx_keep_formulas_as_text(
    dash_event, organiser, login, client
):
    _poison(dash_event)
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/export/inputs.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 1 + len(dash_event.test_inputs)
    # Title is the fifth column since the inputs page and the dashboard share
    # one definition of the inputs table (issue 17); it was the seventh.
    header = [cell.value for cell in sheet[1]]
    assert header.index("Title") == 4
    column = header.index("Title") + 1
    titles = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    poisoned = [cell for cell in titles if FORMULA in str(cell.value)]
    assert poisoned and poisoned[0].data_type == "s"
    assert poisoned[0].value == "'" + FORMULA
    response = client.get(f"/manage/events/{dash_event.slug}/export/priorities.csv")
    rows = _csv_rows(response)
    assert len(rows) == 1 + 12 * 3  # one row per registrant and challenge
    assert {row[5] for row in rows[1:]} == {"6", "3", "1"}


def test_workbook_has_every_sheet_and_is_logged(dash_event, organiser, login, client):
    login(organiser)
    response = client.get(f"/manage/events/{dash_event.slug}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    names = workbook.sheetnames
    assert names[:3] == ["Registrants", "Inputs", "Priorities"]
    assert any(name.startswith("Survey") for name in names[3:])
    survey_sheet = workbook[names[3]]
    assert survey_sheet.max_row == 1 + 8  # eight submitted responses
    entry = db.session.scalar(select(ExportLog))
    assert (entry.kind, entry.format, entry.user_email) == (
        "workbook",
        "xlsx",
        organiser.email,
    )
    assert entry.row_count == 14 + 6 + 36 + 8
    page = client.get(f"/manage/events/{dash_event.slug}/dashboard")
    text = page.get_data(as_text=True)
    assert "Export log" in text and organiser.email in text
    assert "Workbook (XLSX)" in text


def test_one_survey_as_csv(dash_event, organiser, login, client):
    login(organiser)
    survey = dash_event.test_survey
    url = f"/manage/events/{dash_event.slug}/export/surveys/{survey.id}.csv"
    rows = _csv_rows(client.get(url))
    assert len(rows) == 1 + 8
    assert (
        client.get(
            f"/manage/events/{dash_event.slug}/export/surveys/999999.csv"
        ).status_code
        == 404
    )
    assert db.session.scalar(select(ExportLog.kind)) == "surveys"


def test_unknown_export_kinds_are_404(dash_event, organiser, login, client):
    login(organiser)
    for page in ("export/people.csv", "export/registrants.pdf"):
        url = f"/manage/events/{dash_event.slug}/{page}"
        assert client.get(url).status_code == 404
    assert db.session.scalar(select(ExportLog)) is None


def test_log_export_rejects_unknown_kinds(dash_event, organiser, now):
    import pytest

    with pytest.raises(ValueError):
        log_export(dash_event, organiser, kind="everything", fmt="csv", rows=1, now=now)
