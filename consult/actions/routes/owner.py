"""The action owner's page, reached through their personal link: the action,
its milestones and updates, the update form, and their language."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult.actions import bp
from consult.actions.forms_progress import (
    OwnerLanguageForm,
    UpdateForm,
    status_label,
)
from consult.actions.models import Action, Milestone
from consult.actions.services.dates import city_today
from consult.actions.services.owners import set_owner_language
from consult.actions.services.progress import (
    OwnerActor,
    check_update,
    mark_milestone_done,
    post_update,
)
from consult.actions.services.tokens import action_from_owner_token
from consult.attempts import attempt, submit
from consult.errors import NotFound
from consult.extensions import db, limiter
from consult.languages import recipient_locale
from consult.timeutil import now_utc

OWNER = "/actions/owner/<token>"


def owner_rate_limit() -> str:
    """Updates and changes through an owner's link, per client address."""
    return current_app.config.get("ACTION_OWNER_RATE_LIMIT", "60 per hour")


def _owned_action(token: str) -> Action:
    try:
        return action_from_owner_token(token)
    except NotFound:
        abort(404)


def _page(action: Action, token: str, status: int = 200, **forms):
    language_form = forms.get("language_form")
    if language_form is None:
        language_form = OwnerLanguageForm(formdata=None, prefix="lang")
        language_form.language.prefill(recipient_locale(action.owner_language))
    page = render_template(
        "actions/owner.html",
        action=action,
        plan=action.plan,
        city=action.plan.city,
        token=token,
        today=city_today(action.plan.city, now_utc()),
        update_form=forms.get("update_form") or UpdateForm(formdata=None),
        language_form=language_form,
        status_label=status_label,
    )
    return page, status


@bp.route(OWNER, methods=["GET", "POST"], endpoint="owner_page")
@limiter.limit(owner_rate_limit, methods=["POST"])
def owner_page(token: str):
    """The owner's page; POST: their progress update."""
    action = _owned_action(token)
    if request.method == "GET":
        return _page(action, token)
    form = UpdateForm()
    owner = OwnerActor(action)
    if not submit(
        form,
        lambda: post_update(action, owner, form.to_data(), now=now_utc()),
        check=lambda: check_update(action, form.to_data(), now=now_utc()),
    ):
        return _page(action, token, 422, update_form=form)
    db.session.commit()
    flash(_("Thank you: your update is posted."), "success")
    return redirect(url_for("actions.owner_page", token=token))


@bp.post(OWNER + "/milestones/<int:milestone_id>/done", endpoint="owner_milestone_done")
@limiter.limit(owner_rate_limit)
def owner_milestone_done(token: str, milestone_id: int):
    """The owner marks one of the action's milestones done (today, city's date)."""
    action = _owned_action(token)
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.action_id != action.id:
        abort(404)
    mark_milestone_done(milestone, OwnerActor(action), now=now_utc())
    db.session.commit()
    flash(_("Milestone marked done: “%(title)s”.", title=milestone.title), "success")
    return redirect(url_for("actions.owner_page", token=token))


@bp.post(OWNER + "/language", endpoint="owner_language")
@limiter.limit(owner_rate_limit)
def owner_language(token: str):
    """The owner's language for their emails."""
    action = _owned_action(token)
    form = OwnerLanguageForm(prefix="lang")
    form.language.prefill(recipient_locale(action.owner_language))
    if not form.validate_on_submit() or not attempt(
        form, lambda: set_owner_language(action, form.language.data)
    ):
        return _page(action, token, 422, language_form=form)
    db.session.commit()
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("actions.owner_page", token=token))
