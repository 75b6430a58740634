from flask import redirect, url_for
from flask_login import logout_user

from consult.auth import bp


@bp.route("/auth/login", methods=["GET", "POST"])
def login():
    return "login"


@bp.post("/auth/logout")
def logout():
    logout_user()
    return redirect(url_for("events.index"))
