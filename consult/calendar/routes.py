"""Calendar files: public event .ics, a registrant's invite, private feeds."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from consult.calendar import bp
from consult.calendar.feeds import (
    feed_registrations,
    feed_token,
    registration_from_feed_token,
    revoke_feed,
)
from consult.calendar.forms import RevokeFeedForm
from consult.calendar.ics import feed_calendar, invite_calendar, public_calendar
from consult.calendar.links import google_calendar_url, outlook_calendar_url
from consult.errors import NotFound
from consult.events.access import visible_event_or_404
from consult.extensions import db
from consult.links import external_url
from consult.registration.services import registration_from_token
from consult.timeutil import now_utc


def _ics_response(body: bytes, filename: str | None, *, private: bool):
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _own_registration_or_404(slug: str, token: str):
    try:
        registration = registration_from_token(token)
    except NotFound:
        abort(404)
    if registration.event.slug != slug:
        abort(404)
    return registration


@bp.get("/events/<slug>/calendar.ics")
def event_ics(slug: str):
    event = visible_event_or_404(slug)
    if not event.agenda_in_range:
        abort(404)  # stored before dates were bounded: no file until corrected
    with_sessions = request.args.get("sessions") == "1"
    body = public_calendar(event, now=now_utc(), with_sessions=with_sessions)
    return _ics_response(body, f"{event.slug}.ics", private=False)


@bp.get("/events/<slug>/registration/<token>/invite.ics")
def invite_ics(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    if registration.status != "confirmed" or registration.event.is_draft:
        abort(404)
    if not registration.event.agenda_in_range:
        abort(404)
    body = invite_calendar(registration, now=now_utc())
    return _ics_response(body, f"{slug}.ics", private=True)


@bp.get("/calendar/feed/<token>.ics")
def feed(token: str):
    try:
        registration = registration_from_feed_token(token)
    except NotFound:
        abort(404)
    name = _("My consultations")
    body = feed_calendar(feed_registrations(registration), now=now_utc(), name=name)
    return _ics_response(body, None, private=True)


@bp.post("/events/<slug>/registration/<token>/calendar-feed/revoke")
def revoke(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    if RevokeFeedForm().validate_on_submit():
        revoke_feed(registration, now=now_utc())
        db.session.commit()
        flash(
            _("Your calendar feed has a new address; the old one no longer works."),
            "success",
        )
    return redirect(url_for("registration.manage", slug=slug, token=token))


@bp.app_template_global()
def calendar_feed_url(registration) -> str:
    """The private feed address of a registration (for its manage page)."""
    return external_url("calendar.feed", token=feed_token(registration))


@bp.app_template_global()
def revoke_feed_form() -> RevokeFeedForm:
    return RevokeFeedForm()


bp.add_app_template_global(google_calendar_url)
bp.add_app_template_global(outlook_calendar_url)
