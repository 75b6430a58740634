"""Organisers add, edit and delete the resources they put in the library."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action, submit
from consult.auth.access import require_organiser_account
from consult.categories import category_label
from consult.events.services.queries import managed_events
from consult.extensions import db
from consult.forms import render_form
from consult.library import bp
from consult.library.forms import DeleteForm, ResourceForm
from consult.library.models import LibraryEntry
from consult.library.services import (
    can_edit_resource,
    challenges_by_event,
    check_resource,
    create_resource,
    delete_resource,
    manageable_resources,
    update_resource,
)
from consult.registration.countries import country_name
from consult.timeutil import now_utc


def _form(entry=None) -> ResourceForm:
    form = ResourceForm()
    events = managed_events(current_user)
    if entry is not None and entry.event not in events:
        events.append(entry.event)  # an admin's view of someone else's resource
    form.set_choices(events, challenges_by_event(events))
    if entry is not None and not form.is_submitted():
        form.fill_from(entry)
    return form


def _editable_resource_or_404(entry_id: int) -> LibraryEntry:
    entry = db.session.get(LibraryEntry, entry_id)
    if entry is None or not entry.is_resource:
        abort(404)
    if not can_edit_resource(current_user, entry):
        abort(403)
    return entry


@bp.get("/manage/library")
@login_required
def manage():
    require_organiser_account()
    return render_template(
        "library/manage/index.html",
        resources=manageable_resources(current_user),
        has_events=bool(managed_events(current_user)),
        category_label=category_label,
        country_name=country_name,
    )


@bp.route("/manage/library/new", methods=["GET", "POST"])
@login_required
def new_resource():
    require_organiser_account()
    form = _form()
    if submit(
        form,
        lambda: create_resource(current_user, form.to_data(), now=now_utc()),
        check=lambda: check_resource(current_user, form.to_data()),
    ):
        db.session.commit()
        flash(_("Resource added to the library."), "success")
        return redirect(url_for("library.manage"))
    return render_form("library/manage/form.html", form, entry=None)


@bp.route("/manage/library/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_resource(entry_id: int):
    require_organiser_account()
    entry = _editable_resource_or_404(entry_id)
    form = _form(entry)
    if submit(
        form,
        lambda: update_resource(entry, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_resource(current_user, form.to_data()),
    ):
        db.session.commit()
        flash(_("Resource saved."), "success")
        return redirect(url_for("library.manage"))
    return render_form("library/manage/form.html", form, entry=entry)


@bp.route("/manage/library/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_resource_view(entry_id: int):
    require_organiser_account()
    entry = _editable_resource_or_404(entry_id)
    form = DeleteForm()
    if request.method == "GET":
        return render_template("library/manage/delete.html", entry=entry, form=form)
    if form.validate_on_submit():
        title = entry.title
        if attempt_action(lambda: delete_resource(entry, current_user)):
            db.session.commit()
            flash(
                _("“%(title)s” was removed from the library.", title=title), "success"
            )
    return redirect(url_for("library.manage"))
