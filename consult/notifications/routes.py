"""The organiser-visible outbox (admins only) and its retry action."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.extensions import db
from consult.notifications import bp
from consult.notifications.models import EMAIL_STATUSES
from consult.notifications.services import outbox_page, retry_email, scheduler_health
from consult.timeutil import now_utc


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/manage/outbox")
@login_required
def outbox():
    _require_admin()
    status = request.args.get("status", "")
    status = status if status in EMAIL_STATUSES else ""
    page = outbox_page(
        status=status or None, page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "notifications/outbox.html",
        page=page,
        status=status,
        statuses=EMAIL_STATUSES,
        health=scheduler_health(now=now_utc()),
    )


@bp.post("/manage/outbox/<int:email_id>/retry")
@login_required
def retry(email_id: int):
    _require_admin()
    email = retry_email(email_id, now=now_utc())
    db.session.commit()
    flash(
        _("The email to %(recipient)s is queued again.", recipient=email.recipient),
        "success",
    )
    return redirect(url_for(".outbox", status=request.args.get("status") or None))
