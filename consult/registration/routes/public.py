"""Participant pages: the registration form and the personal manage page."""

from flask import abort, render_template

from consult.errors import NotFound
from consult.registration import bp
from consult.registration.services import registration_from_token


def _own_registration_or_404(slug: str, token: str):
    # A token opens only its own registration, and only under its event's slug.
    try:
        registration = registration_from_token(token)
    except NotFound:
        abort(404)
    if registration.event.slug != slug:
        abort(404)
    return registration


@bp.get("/events/<slug>/registration/<token>")
def manage(slug: str, token: str):
    registration = _own_registration_or_404(slug, token)
    return render_template(
        "registration/manage.html", registration=registration, event=registration.event
    )
