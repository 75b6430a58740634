"""Public event pages and organiser management pages."""

from flask import render_template
from flask_login import login_required

from consult.events import bp


@bp.get("/")
def index():
    return render_template("events/index.html", upcoming=[], past=[])


@bp.get("/manage/")
@login_required
def manage_index():
    return render_template("events/index.html", upcoming=[], past=[])
