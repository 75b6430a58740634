"""The programme's public page."""

from flask import abort, render_template

from consult.cities.services import city_url
from consult.programmes import bp
from consult.programmes.services.public_page import public_programme
from consult.programmes.services.queries import programme_by_slug
from consult.timeutil import now_utc


@bp.get("/programmes/<programme_slug>")
def page(programme_slug: str):
    programme = programme_by_slug(programme_slug)
    if programme is None:
        abort(404)
    return render_template(
        "programmes/public.html",
        shown=public_programme(programme),
        city_url=city_url,
        now=now_utc(),
    )
