"""The thank-you page: shown after registering, again from its own short-lived
link, and its "Didn't arrive? Send it again" button."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from consult.attempts import attempt_action
from consult.errors import NotFound
from consult.extensions import db, limiter
from consult.registration import bp
from consult.registration.forms_manage import ActionForm
from consult.registration.routes.thanks_frame import render_thanks_page
from consult.registration.services.thanks import (
    registration_from_thanks_token,
    resend_confirmation,
    result_of,
    thanks_page,
)
from consult.timeutil import now_utc


def _resend_limit() -> str:
    return current_app.config.get("RESEND_RATE_LIMIT") or "10 per hour"


def render_thanks(event, result, *, status: int = 200):
    """The thank-you page for a registration's outcome (None: a bot, told nothing)."""
    page = thanks_page(event, result, now=now_utc()) if result is not None else None
    return render_thanks_page(event, result, page), status


def _registration_or_404(slug: str, token: str):
    try:
        registration = registration_from_thanks_token(token)
    except NotFound:
        abort(404)
    if registration.event.slug != slug or registration.event.is_draft:
        abort(404)
    return registration


@bp.get("/events/<slug>/registered/<token>")
def thanks(slug: str, token: str):
    """The thank-you page again (after a reload or a resend)."""
    registration = _registration_or_404(slug, token)
    return render_thanks(registration.event, result_of(registration))


@bp.post("/events/<slug>/registered/<token>/resend")
@limiter.limit(_resend_limit)
def thanks_resend(slug: str, token: str):
    """Didn't arrive? Queue the registration's message again (rate-limited)."""
    registration = _registration_or_404(slug, token)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = attempt_action(lambda: resend_confirmation(registration, now=now_utc()))
    if outcome:
        db.session.commit()
        flash(
            _("We have sent it again to %(address)s.", address=outcome.value), "success"
        )
    return redirect(url_for(".thanks", slug=slug, token=token))
