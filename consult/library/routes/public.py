"""The public library: search with filters, and one page per entry."""

from __future__ import annotations

from flask import abort, render_template, request

from consult.categories import category_label
from consult.database import set_write_intent
from consult.library import bp
from consult.library.forms import SearchForm
from consult.library.services import filter_options, public_entry, search_library
from consult.registration.countries import country_name


@bp.get("/library")
def index():
    set_write_intent(False)
    form = SearchForm(request.args)
    countries, events = filter_options()
    form.set_choices(countries, events)
    query = form.to_query()
    page = search_library(query, page=form.page_number)
    if page.page > page.pages and page.total:
        abort(404)
    return render_template(
        "library/index.html",
        form=form,
        page=page,
        query=query,
        filter_args=_filter_args(query),
        category_label=category_label,
        country_name=country_name,
    )


@bp.get("/library/<int:entry_id>")
def detail(entry_id: int):
    set_write_intent(False)
    entry = public_entry(entry_id)
    if entry is None:
        abort(404)
    return render_template(
        "library/detail.html",
        entry=entry,
        category_label=category_label,
        country_name=country_name,
    )


def _filter_args(query) -> dict:
    """The current search as URL arguments, for pagination links."""
    args = {
        "q": query.q,
        "category": query.category,
        "country": query.country,
        "event": query.event_id or "",
    }
    return {key: value for key, value in args.items() if value}
