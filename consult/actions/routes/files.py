"""The plan's files: PDF, workbook and CSV (actions, and milestones).

Public ones hold the published actions (404 while there is none); the
organisers' ones, under /manage/cities/, every action. The PDF is printed
in the reader's language.
"""

from __future__ import annotations

import io

from flask import abort, send_file
from flask_babel import get_locale
from flask_login import current_user, login_required

from consult import exports
from consult.actions import bp
from consult.actions.access import can_edit_plan
from consult.actions.services.plan_files import city_by_slug, plan_file
from consult.actions.services.plan_pdf import plan_pdf
from consult.actions.services.plan_sheets import (
    actions_sheet,
    milestones_sheet,
    plan_filename,
)
from consult.dashboard.services.pdf import pdf_available
from consult.timeutil import now_utc

PUBLIC = "/cities/<city_slug>/"
MANAGE = "/manage/cities/<city_slug>/"


def _public_plan(city_slug: str):
    city = city_by_slug(city_slug)
    data = plan_file(city, public=True, now=now_utc()) if city else None
    if data is None:
        abort(404)
    return data


def _managed_plan(city_slug: str):
    """Like ``managed_event_or_404``: 404 without the city, 403 for others."""
    city = city_by_slug(city_slug)
    if city is None:
        abort(404)
    if not can_edit_plan(current_user, city):
        abort(403)
    data = plan_file(city, public=False, now=now_utc())
    if data is None:
        abort(404)
    return data


def _file(data, fmt: str):
    if fmt == "pdf":
        if pdf_available() is not None:
            abort(503)
        pdf = plan_pdf(data, str(get_locale()))
        return send_file(
            io.BytesIO(pdf),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=plan_filename(data, "pdf"),
            max_age=0,
        )
    if fmt == "xlsx":
        sheets = [actions_sheet(data), milestones_sheet(data)]
        return exports.xlsx_response(plan_filename(data, "xlsx"), sheets)
    if fmt == "csv":
        sheet = actions_sheet(data)
        name = plan_filename(data, "csv")
    else:
        sheet = milestones_sheet(data)
        name = plan_filename(data, "csv", "milestones")
    return exports.csv_response(name, sheet.header, sheet.rows)


@bp.get(PUBLIC + "plan.pdf", endpoint="plan_pdf")
def public_pdf(city_slug: str):
    return _file(_public_plan(city_slug), "pdf")


@bp.get(PUBLIC + "plan.xlsx", endpoint="plan_xlsx")
def public_xlsx(city_slug: str):
    return _file(_public_plan(city_slug), "xlsx")


@bp.get(PUBLIC + "plan.csv", endpoint="plan_csv")
def public_csv(city_slug: str):
    return _file(_public_plan(city_slug), "csv")


@bp.get(PUBLIC + "plan-milestones.csv", endpoint="plan_milestones_csv")
def public_milestones_csv(city_slug: str):
    return _file(_public_plan(city_slug), "milestones.csv")


@bp.get(MANAGE + "plan.pdf", endpoint="manage_plan_pdf")
@login_required
def manage_pdf(city_slug: str):
    return _file(_managed_plan(city_slug), "pdf")


@bp.get(MANAGE + "plan.xlsx", endpoint="manage_plan_xlsx")
@login_required
def manage_xlsx(city_slug: str):
    return _file(_managed_plan(city_slug), "xlsx")


@bp.get(MANAGE + "plan.csv", endpoint="manage_plan_csv")
@login_required
def manage_csv(city_slug: str):
    return _file(_managed_plan(city_slug), "csv")


@bp.get(MANAGE + "plan-milestones.csv", endpoint="manage_plan_milestones_csv")
@login_required
def manage_milestones_csv(city_slug: str):
    return _file(_managed_plan(city_slug), "milestones.csv")
