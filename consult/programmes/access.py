"""Loading a programme or a city for the organiser pages."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from consult.cities.models import City
from consult.extensions import db
from consult.programmes.models import Programme
from consult.programmes.services.city_records import can_edit_city


def edited_programme_or_404(slug: str) -> Programme:
    """The programme for its organiser pages: 404 when absent, 403 when the
    signed-in account does not organise it."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None:
        abort(404)
    if not programme.editable_by(current_user):
        abort(403)
    return programme


def edited_city_or_404(slug: str) -> City:
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        abort(404)
    if not can_edit_city(current_user, city):
        abort(403)
    return city
