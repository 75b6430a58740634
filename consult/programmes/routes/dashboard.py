"""The programme dashboard for its organisers, and its workbook."""

from flask import render_template
from flask_login import current_user, login_required

from consult.exports import xlsx_response
from consult.programmes import bp
from consult.programmes.access import edited_programme_or_404
from consult.programmes.services.dashboard import (
    dashboard_sheet,
    group_of,
    programme_dashboard,
)
from consult.timeutil import now_utc


@bp.get("/manage/programmes/<programme_slug>/dashboard")
@login_required
def dashboard(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    board = programme_dashboard(programme, current_user)
    return render_template(
        "programmes/manage/dashboard.html",
        programme=programme,
        board=board,
        group_of=group_of,
        now=now_utc(),
    )


@bp.get("/manage/programmes/<programme_slug>/dashboard.xlsx")
@login_required
def dashboard_xlsx(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    board = programme_dashboard(programme, current_user)
    sheet = dashboard_sheet(board, now=now_utc())
    return xlsx_response(f"programme-{programme.slug}.xlsx", [sheet])
