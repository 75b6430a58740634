"""An organiser edits a city's record: region, population, representative."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt
from consult.extensions import db
from consult.forms import render_form
from consult.programmes import bp
from consult.programmes.access import edited_city_or_404
from consult.programmes.forms import CityForm
from consult.programmes.services.city_records import update_city_record


@bp.route("/manage/cities/<city_slug>/edit", methods=["GET", "POST"])
@login_required
def edit_city(city_slug: str):
    city = edited_city_or_404(city_slug)
    form = CityForm()
    if not form.is_submitted():
        form.region.data = city.region
        form.population.data = city.population
        form.representative.data = (
            city.representative.email if city.representative else ""
        )
    call = lambda: update_city_record(  # noqa: E731
        city,
        current_user,
        region=form.region.data,
        population=form.population.data,
        representative_email=form.representative.data,
    )
    if form.validate_on_submit() and attempt(form, call):
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("programmes.edit_city", city_slug=city.slug))
    return render_form("programmes/manage/city.html", form, city=city)
