"""Exports for the event's organisers: CSV per kind, XLSX per kind, one workbook.

Each download is logged (who, when, what). Downloads are GET links, so these
views declare that they write before their first query (``logged_download``:
SQLite then takes the write lock up front).
"""

from __future__ import annotations

from flask import abort
from flask_login import login_required

from consult import exports
from consult.dashboard import bp
from consult.dashboard.routes.prepared import offer_or_serve
from consult.dashboard.services import exports as sheets
from consult.dashboard.services.export_jobs import needs_job
from consult.downloads import logged_download, record_download
from consult.errors import PermissionDenied
from consult.events.access import managed_event_or_404

BASE = "/manage/events/<slug>"


def _logged(event, kind: str, fmt: str, sheet_list) -> None:
    record_download(event, kind=kind, fmt=fmt, rows=sheets.row_count(sheet_list))


@bp.get(BASE + "/export/<kind>.<fmt>", endpoint="export")
@logged_download
@login_required
def export(slug: str, kind: str, fmt: str):
    event = managed_event_or_404(slug)
    if kind not in sheets.SHEETS or fmt not in ("csv", "xlsx"):
        abort(404)
    sheet = sheets.SHEETS[kind](event)
    _logged(event, kind, fmt, [sheet])
    filename = exports.export_filename(event.slug, kind, ext=fmt)
    if fmt == "csv":
        return exports.csv_response(filename, sheet.header, sheet.rows)
    return exports.xlsx_response(filename, [sheet])


@bp.get(BASE + "/export/surveys.xlsx", endpoint="export_surveys")
@logged_download
@login_required
def export_surveys(slug: str):
    event = managed_event_or_404(slug)
    survey_sheets = sheets.survey_sheets(event)
    if not survey_sheets:
        abort(404)
    _logged(event, "surveys", "xlsx", survey_sheets)
    filename = exports.export_filename(event.slug, "surveys", ext="xlsx")
    return exports.xlsx_response(filename, survey_sheets)


@bp.get(BASE + "/export/surveys/<int:survey_id>.csv", endpoint="export_survey_csv")
@logged_download
@login_required
def export_survey_csv(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    try:
        sheet = sheets.survey_sheet(event, survey_id)
    except PermissionDenied:
        abort(403)
    if sheet is None:
        abort(404)
    _logged(event, "surveys", "csv", [sheet])
    filename = exports.export_filename(event.slug, "survey", survey_id, ext="csv")
    return exports.csv_response(filename, sheet.header, sheet.rows)


@bp.get(BASE + "/export.xlsx", endpoint="export_workbook")
@logged_download
@login_required
def export_workbook(slug: str):
    event = managed_event_or_404(slug)
    if needs_job(event, "workbook"):
        return offer_or_serve(event, "workbook", "")
    workbook = sheets.workbook_sheets(event)
    _logged(event, "workbook", "xlsx", workbook)
    filename = exports.export_filename(event.slug, "consultation", ext="xlsx")
    return exports.xlsx_response(filename, workbook)
