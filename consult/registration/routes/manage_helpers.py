"""Glue shared by the organiser registration pages: filters, country names."""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from consult.registration.countries import country_name
from consult.registration.forms_manage import FilterForm
from consult.registration.services.organiser_queries import registrant_countries
from consult.registration.services.seats import stakeholder_types

LIST_ARGS = ("type", "status", "country", "attendance", "q", "sort", "page")


def event_types(event):
    """The event's stakeholder types (made with the event), in display order."""
    return stakeholder_types(event)


def country_choices(event) -> list[tuple[str, str]]:
    """(code, name) of the countries among the event's registrants."""
    return [(code, country_name(code)) for code in registrant_countries(event)]


def filter_form(event, types) -> FilterForm:
    """The list filters as sent in the query string."""
    return FilterForm(types, country_choices(event), formdata=request.args)


def list_args() -> dict:
    """The list's filters and page from the current URL, to come back to them."""
    return {key: request.args[key] for key in LIST_ARGS if request.args.get(key)}


def back_to_list(event):
    return redirect(url_for("registration.manage_list", slug=event.slug, **list_args()))


def require_valid(form):
    """A POST button's form, or 400 (a missing or stale CSRF token)."""
    if not form.validate_on_submit():
        abort(400)
    return form
