"""The participant's directory pages, reached through their manage link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.attempts import submit
from consult.directory import bp
from consult.directory.forms import ButtonForm, FilterForm, ProfileForm
from consult.directory.routes.helpers import (
    BASE,
    closed_page,
    filter_choices,
    member_or_none,
    own_registration_or_404,
)
from consult.directory.services.listing import (
    directory_open,
    directory_page,
    is_listed,
    profiles_of,
)
from consult.directory.services.profiles import (
    leave_directory,
    profile_of,
    save_profile,
)
from consult.extensions import db
from consult.numbers import query_page
from consult.registration.countries import country_name
from consult.registration.services.seats import stakeholder_types
from consult.timeutil import now_utc


def _profile_form(registration) -> ProfileForm:
    profile = profile_of(registration)
    # A GET shows what is saved; a POST reads what was sent.
    kept = {} if request.method == "POST" else {"formdata": None}
    form = ProfileForm(
        **kept,
        listed=registration.consent_listing,
        looking_for=profile.looking_for if profile else "",
        offering=profile.offering if profile else "",
        topics=profile.topics if profile else "",
        challenges=[c.id for c in profile.challenges] if profile else [],
    )
    form.challenges.choices = [
        (c.id, c.title) for c in filter_choices(registration)["challenges"]
    ]
    return form


@bp.route(f"{BASE}/profile", methods=["GET", "POST"])
def profile(slug: str, token: str):
    registration = own_registration_or_404(slug, token)
    form = _profile_form(registration)
    outcome = submit(
        form,
        lambda: save_profile(registration, form.data_for_service(), now=now_utc()),
    )
    if outcome:
        db.session.commit()
        flash(_("Your directory profile is saved."), "success")
        return redirect(url_for(".profile", slug=slug, token=token))
    page = render_template(
        "directory/profile.html",
        event=registration.event,
        registration=registration,
        token=token,
        form=form,
        leave_form=ButtonForm(),
        may_join=directory_open(registration),
        listed=is_listed(registration),
        country=country_name(registration.country),
    )
    return page, 422 if form.is_submitted() else 200


@bp.post(f"{BASE}/leave")
def leave(slug: str, token: str):
    registration = own_registration_or_404(slug, token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    leave_directory(registration)
    db.session.commit()
    flash(_("You are no longer listed in the directory."), "success")
    return redirect(url_for(".profile", slug=slug, token=token))


@bp.get(BASE)
def listing(slug: str, token: str):
    registration = own_registration_or_404(slug, token)
    if member_or_none(registration) is None:
        return closed_page(registration, token)
    choices = filter_choices(registration)
    form = FilterForm(formdata=request.args)
    form.country.choices = [("", _("Any country"))] + [
        (code, country_name(code)) for code in choices["countries"]
    ]
    form.type.choices = [("", _("Any group"))] + [
        (str(t.id), t.label) for t in stakeholder_types(registration.event)
    ]
    form.challenge.choices = [("", _("Any challenge"))] + [
        (str(c.id), c.title) for c in choices["challenges"]
    ]
    filters = form.to_filter()
    page = directory_page(registration, filters, page=query_page())
    return render_template(
        "directory/listing.html",
        event=registration.event,
        registration=registration,
        token=token,
        form=form,
        filters=filters,
        page=page,
        profiles=profiles_of(page.items),
    )
