"""The thank-you page: shown after registering, again from its own short-lived
link, and its "Didn't arrive? Send it again" button."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from consult.attempts import attempt_action
from consult.errors import NotFound
from consult.extensions import csrf, db, limiter
from consult.registration import bp
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


# No CSRF token: the URL's token is the proof. It is signed, expires within
# the hour and names one registration; it is handed only to whoever submitted
# the form (the thank-you page, which no other site can read, and whose address
# the Referrer-Policy keeps from other sites), so a page on another site cannot
# build this URL. Holding the token already lets one see the page; the button
# can do no more than queue that person's own message again, rate-limited.
# Without a token in the form, the thank-you page (rendered in the
# registration POST) signs no CSRF token and sets no session cookie: about
# 0.3 ms of a registration's CPU (docs/performance.md, item 22).
@bp.post("/events/<slug>/registered/<token>/resend")
@csrf.exempt
@limiter.limit(_resend_limit)
def thanks_resend(slug: str, token: str):
    """Didn't arrive? Queue the registration's message again (rate-limited)."""
    registration = _registration_or_404(slug, token)
    outcome = attempt_action(lambda: resend_confirmation(registration, now=now_utc()))
    if outcome:
        db.session.commit()
        flash(
            _("We have sent it again to %(address)s.", address=outcome.value), "success"
        )
    return redirect(url_for(".thanks", slug=slug, token=token))
