"""The outbox: all of it for admins, each event's emails for its organisers."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.notifications import bp
from consult.notifications.models import EMAIL_STATUSES
from consult.notifications.services import (
    event_outbox_counts,
    outbox_page,
    retry_email,
    scheduler_health,
)
from consult.timeutil import now_utc


def _require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _status_filter() -> str:
    status = request.args.get("status", "")
    return status if status in EMAIL_STATUSES else ""


def _retried(email) -> None:
    db.session.commit()
    flash(
        _("The email to %(recipient)s is queued again.", recipient=email.recipient),
        "success",
    )


@bp.get("/manage/outbox")
@login_required
def outbox():
    _require_admin()
    status = _status_filter()
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
    _retried(retry_email(email_id, now=now_utc()))
    return redirect(url_for(".outbox", status=request.args.get("status") or None))


@bp.get("/manage/events/<slug>/notifications")
@login_required
def event_outbox(slug: str):
    event = managed_event_or_404(slug)
    status = _status_filter()
    page = outbox_page(
        status=status or None,
        page=request.args.get("page", 1, type=int),
        event_id=event.id,
    )
    return render_template(
        "notifications/event_outbox.html",
        event=event,
        page=page,
        status=status,
        statuses=EMAIL_STATUSES,
        counts=event_outbox_counts(event.id),
        health=scheduler_health(now=now_utc()),
    )


@bp.post("/manage/events/<slug>/notifications/<int:email_id>/retry")
@login_required
def event_retry(slug: str, email_id: int):
    event = managed_event_or_404(slug)
    _retried(retry_email(email_id, now=now_utc(), event_id=event.id))
    return redirect(
        url_for(".event_outbox", slug=slug, status=request.args.get("status") or None)
    )
