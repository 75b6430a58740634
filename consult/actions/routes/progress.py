"""An action's owner and progress updates, for the plan's editors.

The forms are partials of the action's edit page
(``actions/manage/_owner_panel.html``, ``_updates_panel.html``); each POST
here goes back to that page, or shows the panels with the refused form.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.actions import bp
from consult.actions.access import require_plan_editor
from consult.actions.forms_progress import (
    OwnerForm,
    UpdateEditForm,
    UpdateForm,
    status_label,
)
from consult.actions.models import Action, ActionPlan
from consult.actions.services.dates import city_today
from consult.actions.services.owners import (
    check_owner,
    remove_owner,
    resend_owner_link,
    set_owner,
)
from consult.actions.services.progress import (
    action_update,
    check_update,
    delete_update,
    edit_update,
    post_update,
)
from consult.attempts import attempt, attempt_action, submit
from consult.cities.models import City
from consult.extensions import db
from consult.timeutil import now_utc

ACTION = "/manage/cities/<city_slug>/plan/actions/<int:action_id>"


@bp.app_context_processor
def _panel_helpers():
    """What the panels need when the page including them passes no form."""
    return {
        "action_owner_form": lambda action: OwnerForm.for_action(
            action, current_app.config["BABEL_DEFAULT_LOCALE"]
        ),
        "action_update_form": lambda: UpdateForm(formdata=None),
        "action_status_label": status_label,
    }


def editable_action(city_slug: str, action_id: int) -> Action:
    """The city's action, for an editor of its plan (404 / 403 otherwise)."""
    city = db.session.scalar(select(City).where(City.slug == city_slug))
    if city is None:
        abort(404)
    action = db.session.get(Action, action_id)
    if action is None or action.plan.city_id != city.id:
        abort(404)
    require_plan_editor(current_user, city)
    return action


def _back(action: Action):
    values = {"city_slug": action.plan.city.slug, "action_id": action.id}
    # The action's edit page when the plan pages are there, else the panels'.
    if "actions.edit_action" in current_app.view_functions:
        return redirect(url_for("actions.edit_action", **values))
    return redirect(url_for("actions.action_progress", **values))


def _panels(action: Action, status: int = 200, **forms):
    plan: ActionPlan = action.plan
    page = render_template(
        "actions/manage/progress.html",
        city=plan.city,
        plan=plan,
        action=action,
        today=city_today(plan.city, now_utc()),
        **forms,
    )
    return page, status


@bp.get(ACTION + "/progress", endpoint="action_progress")
@login_required
def action_progress(city_slug: str, action_id: int):
    """The action's owner and updates on their own page."""
    return _panels(editable_action(city_slug, action_id))


@bp.post(ACTION + "/owner", endpoint="set_owner")
@login_required
def set_owner_route(city_slug: str, action_id: int):
    action = editable_action(city_slug, action_id)
    form = OwnerForm(prefix="owner")
    form.language.prefill(current_app.config["BABEL_DEFAULT_LOCALE"])
    outcome = submit(
        form,
        lambda: set_owner(action, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_owner(form.to_data()),
    )
    if not outcome:
        return _panels(action, 422, owner_form=form)
    db.session.commit()
    if outcome.value.link_queued:
        flash(_("The owner is saved and their personal link is on its way."), "success")
    else:
        flash(_("The owner is saved."), "success")
    return _back(action)


@bp.post(ACTION + "/owner/resend", endpoint="resend_owner_link")
@login_required
def resend_owner_link_route(city_slug: str, action_id: int):
    action = editable_action(city_slug, action_id)
    if attempt_action(lambda: resend_owner_link(action, current_user, now=now_utc())):
        db.session.commit()
        flash(_("The owner's link is on its way again."), "success")
    return _back(action)


@bp.post(ACTION + "/owner/remove", endpoint="remove_owner")
@login_required
def remove_owner_route(city_slug: str, action_id: int):
    action = editable_action(city_slug, action_id)
    remove_owner(action, current_user, now=now_utc())
    db.session.commit()
    flash(_("The action has no owner now; their link no longer works."), "success")
    return _back(action)


@bp.post(ACTION + "/updates", endpoint="post_update")
@login_required
def post_update_route(city_slug: str, action_id: int):
    action = editable_action(city_slug, action_id)
    form = UpdateForm()
    outcome = submit(
        form,
        lambda: post_update(action, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_update(action, form.to_data(), now=now_utc()),
    )
    if not outcome:
        return _panels(action, 422, update_form=form)
    db.session.commit()
    flash(_("The update is posted."), "success")
    return _back(action)


def _update_or_404(action: Action, update_id: int):
    update = action_update(action, update_id)
    if update is None:
        abort(404)
    return update


@bp.route(ACTION + "/updates/<int:update_id>", methods=["GET", "POST"])
@login_required
def edit_update_page(city_slug: str, action_id: int, update_id: int):
    """Correct an update's date, text or link."""
    action = editable_action(city_slug, action_id)
    update = _update_or_404(action, update_id)
    form = UpdateEditForm(obj=update)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate() and attempt(
            form,
            lambda: edit_update(
                update,
                current_user,
                posted_on=form.posted_on.data,
                body=form.body.data or "",
                link=form.link.data or "",
                now=now_utc(),
            ),
        ):
            db.session.commit()
            flash(_("The update is saved."), "success")
            return _back(action)
    page = render_template(
        "actions/manage/edit_update.html",
        city=action.plan.city,
        action=action,
        update=update,
        form=form,
    )
    return page, status


@bp.post(ACTION + "/updates/<int:update_id>/delete", endpoint="delete_update")
@login_required
def delete_update_route(city_slug: str, action_id: int, update_id: int):
    action = editable_action(city_slug, action_id)
    delete_update(_update_or_404(action, update_id), current_user)
    db.session.commit()
    flash(_("The update is deleted."), "success")
    return _back(action)
