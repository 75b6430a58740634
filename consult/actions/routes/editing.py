"""Editing pages of a city's action plan: the plan, its actions, deleting one,
and its versions (organisers and the city's representative: editors.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from consult.actions import bp
from consult.actions.forms import (
    ActionForm,
    ButtonForm,
    MilestoneForm,
    PlanForm,
    VersionForm,
)
from consult.actions.labels import KIND_LABELS, STATUS_LABELS
from consult.actions.routes.editors import plan_route
from consult.actions.services.choices import (
    eligible_challenges,
    eligible_input,
    eligible_inputs,
    partner_city_suggestions,
)
from consult.actions.services.dates import city_today
from consult.actions.services.editing import (
    check_action,
    create_action,
    delete_action,
    deletion_plan,
    draft_from_input,
    move_action,
    set_published,
    start_plan,
    update_action,
    update_plan,
)
from consult.actions.services.milestones import is_overdue, next_milestone
from consult.actions.services.versions import adopt_version
from consult.attempts import attempt_action, submit
from consult.challenges.labels import BUDGET_LABELS
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.numbers import parse_id, query_int
from consult.timeutil import now_utc


def _plan_page(editor, form=None, status=200, source_input=None):
    plan = editor.plan
    today = city_today(editor.city, now_utc())
    if plan is not None and form is None:
        form = PlanForm(
            formdata=None,
            data={"title": plan.title, "introduction": plan.introduction_md},
        )
    rows = (
        [(a, next_milestone(a), is_overdue(a, today)) for a in plan.actions]
        if plan is not None
        else []
    )
    page = render_template(
        "actions/manage/plan.html",
        editor=editor,
        city=editor.city,
        plan=plan,
        form=form,
        rows=rows,
        today=today,
        source_input=source_input,
        button=ButtonForm(),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )
    return page, status


def plan_page(editor):
    if request.method == "GET":
        return _plan_page(editor)
    plan = editor.plan_or_404()
    form = PlanForm()
    if not submit(
        form, lambda: update_plan(plan, editor.actor, form.to_data(), now=now_utc())
    ):
        return _plan_page(editor, form, 422)
    db.session.commit()
    flash(_("The plan is saved."), "success")
    return redirect(editor.url("plan"))


def start(editor):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if attempt_action(lambda: start_plan(editor.city, editor.actor, now=now_utc())):
        db.session.commit()
        flash(_("The action plan is started."), "success")
    # Started on the way to an action from an input: on to that action.
    input_id = parse_id(request.form.get("input"))
    if input_id is not None and editor.plan is not None:
        return redirect(editor.url("new_action", input=input_id))
    return redirect(editor.url("plan"))


def action_page(
    editor, form=None, *, action=None, source=None, milestone_form=None, status=200
):
    """The new or edit action page (with the milestones of an action)."""
    if form is None:
        form = ActionForm.for_action(action)
    form.offer(
        eligible_challenges(editor.city) + list(action.challenges if action else []),
        eligible_inputs(editor.city) + list(action.inputs if action else []),
    )
    _dedupe(form.challenge_ids)
    _dedupe(form.input_ids)
    plan = editor.plan_or_404()
    page = render_template(
        "actions/manage/action.html",
        editor=editor,
        city=editor.city,
        plan=plan,
        action=action,
        form=form,
        source=source,
        milestone_form=milestone_form or MilestoneForm(formdata=None, prefix="ms"),
        budget_labels=BUDGET_LABELS,
        partner_suggestions=partner_city_suggestions(editor.city),
        today=city_today(editor.city, now_utc()),
        button=ButtonForm(),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )
    return page, status


def _dedupe(field) -> None:
    seen, kept = set(), []
    for choice in field.choices:
        if choice.value not in seen:
            seen.add(choice.value)
            kept.append(choice)
    field.choices = kept


def new_action(editor):
    plan = editor.plan
    if plan is None:
        # Not started yet: the plan page's button starts it, then comes back.
        return _plan_page(editor, source_input=query_int("input"))
    source = None
    if request.method == "GET":
        input_id = query_int("input")
        form = ActionForm(formdata=None)
        if input_id is not None:
            source = eligible_input(editor.city, input_id)
            if source is None:
                abort(404)
            form = ActionForm.for_data(draft_from_input(editor.city, source))
        return action_page(editor, form, source=source)
    form = ActionForm()
    outcome = submit(
        form,
        lambda: create_action(plan, editor.actor, form.to_data(), now=now_utc()),
        check=lambda: check_action(editor.city, form.to_data(), now=now_utc()),
    )
    if not outcome:
        return action_page(editor, form, status=422)
    db.session.commit()
    flash(_("Action added. Publish it when it is ready to be seen."), "success")
    return redirect(editor.url("edit_action", action_id=outcome.value.id))


def edit_action(editor, action_id: int):
    action = editor.action_or_404(action_id)
    if request.method == "GET":
        return action_page(editor, ActionForm.for_action(action), action=action)
    form = ActionForm()
    if not submit(
        form,
        lambda: update_action(action, editor.actor, form.to_data(), now=now_utc()),
        check=lambda: check_action(
            editor.city, form.to_data(), now=now_utc(), action=action
        ),
    ):
        return action_page(editor, form, action=action, status=422)
    db.session.commit()
    flash(_("The action is saved."), "success")
    return redirect(editor.url("edit_action", action_id=action.id))


def action_step(editor, action_id: int, step: str):
    action = editor.action_or_404(action_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    now = now_utc()
    calls = {
        "up": lambda: move_action(action, editor.actor, -1, now=now),
        "down": lambda: move_action(action, editor.actor, 1, now=now),
        "publish": lambda: set_published(action, editor.actor, True, now=now),
        "unpublish": lambda: set_published(action, editor.actor, False, now=now),
    }
    messages = {
        "publish": _("The action is published: it shows on the public page."),
        "unpublish": _("The action no longer shows on the public page."),
    }
    if attempt_action(calls[step]):
        db.session.commit()
        if step in messages:
            flash(messages[step], "success")
    back = request.form.get("back") == "action"
    return redirect(
        editor.url("edit_action", action_id=action.id) if back else editor.url("plan")
    )


def delete(editor, action_id: int):
    action = editor.action_or_404(action_id)
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        title = action.title
        if attempt_action(lambda: delete_action(action, editor.actor, now=now_utc())):
            db.session.commit()
            flash(_("“%(title)s” is deleted.", title=title), "success")
        return redirect(editor.url("plan"))
    return render_template(
        "actions/manage/delete.html",
        editor=editor,
        city=editor.city,
        action=action,
        gone=deletion_plan(action),
        button=form,
    )


def versions(editor):
    plan = editor.plan_or_404()
    form = VersionForm()
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: adopt_version(plan, editor.actor, form.note.data, now=now_utc()),
        )
        if outcome:
            db.session.commit()
            flash(
                _("Version %(number)d adopted.", number=outcome.value.number), "success"
            )
            return redirect(editor.url("versions"))
        status = 422
    page = render_template(
        "actions/manage/versions.html",
        editor=editor,
        city=editor.city,
        plan=plan,
        form=form,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )
    return page, status


ACTION = "/actions/<int:action_id>"
plan_route("", "plan", plan_page, ("GET", "POST"))
plan_route("/start", "start_plan", start, ("POST",))
plan_route("/actions/new", "new_action", new_action, ("GET", "POST"))
plan_route(ACTION, "edit_action", edit_action, ("GET", "POST"))
plan_route(
    ACTION + "/<any(up, down, publish, unpublish):step>",
    "action_step",
    action_step,
    ("POST",),
)
plan_route(ACTION + "/delete", "delete_action", delete, ("GET", "POST"))
plan_route("/versions", "versions", versions, ("GET", "POST"))


@bp.get("/manage/events/<slug>/plan")
@login_required
def event_plan(slug: str):
    """The event's "Action plan" tab: its host city's plan, or why there is none."""
    event = managed_event_or_404(slug)
    if event.city is not None:
        return redirect(url_for("actions.plan", city_slug=event.city.slug))
    return render_template("actions/manage/no_city.html", event=event)
