"""An action's milestones: added on the action's page, edited, marked done or
reopened and deleted on their own page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from consult.actions.forms import ButtonForm, DoneForm, MilestoneForm
from consult.actions.routes.editing import ACTION, action_page
from consult.actions.routes.editors import plan_route
from consult.actions.services.dates import city_today
from consult.actions.services.milestones import (
    add_milestone,
    check_milestone,
    delete_milestone,
    mark_done,
    reopen,
    update_milestone,
)
from consult.attempts import attempt_action, submit
from consult.extensions import db
from consult.timeutil import now_utc

MILESTONE = ACTION + "/milestones/<int:milestone_id>"


def new_milestone(editor, action_id: int):
    action = editor.action_or_404(action_id)
    form = MilestoneForm(prefix="ms")
    if not submit(
        form,
        lambda: add_milestone(action, editor.actor, form.to_data(), now=now_utc()),
        check=lambda: check_milestone(form.to_data(), now=now_utc()),
    ):
        return action_page(editor, action=action, milestone_form=form, status=422)
    db.session.commit()
    flash(_("Milestone added."), "success")
    return redirect(editor.url("edit_action", action_id=action.id) + "#milestones")


def _milestone_page(editor, action, milestone, form=None, done_form=None, status=200):
    today = city_today(editor.city, now_utc())
    page = render_template(
        "actions/manage/milestone.html",
        editor=editor,
        city=editor.city,
        action=action,
        milestone=milestone,
        form=form
        or MilestoneForm(
            formdata=None, data={"title": milestone.title, "due_on": milestone.due_on}
        ),
        done_form=done_form or DoneForm(formdata=None, data={"done_on": today}),
        button=ButtonForm(),
        today=today,
    )
    return page, status


def edit_milestone(editor, action_id: int, milestone_id: int):
    action = editor.action_or_404(action_id)
    milestone = editor.milestone_or_404(action, milestone_id)
    if request.method == "GET":
        return _milestone_page(editor, action, milestone)
    form = MilestoneForm()
    if not submit(
        form,
        lambda: update_milestone(
            milestone, editor.actor, form.to_data(), now=now_utc()
        ),
        check=lambda: check_milestone(form.to_data(), now=now_utc()),
    ):
        return _milestone_page(editor, action, milestone, form=form, status=422)
    db.session.commit()
    flash(_("Milestone saved."), "success")
    return redirect(editor.url("edit_action", action_id=action.id) + "#milestones")


def mark_milestone_done(editor, action_id: int, milestone_id: int):
    action = editor.action_or_404(action_id)
    milestone = editor.milestone_or_404(action, milestone_id)
    form = DoneForm()
    if not submit(
        form,
        lambda: mark_done(milestone, editor.actor, form.done_on.data, now=now_utc()),
    ):
        return _milestone_page(editor, action, milestone, done_form=form, status=422)
    db.session.commit()
    flash(_("Milestone marked done."), "success")
    return redirect(editor.url("edit_action", action_id=action.id) + "#milestones")


def milestone_step(editor, action_id: int, milestone_id: int, step: str):
    action = editor.action_or_404(action_id)
    milestone = editor.milestone_or_404(action, milestone_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    now = now_utc()
    if step == "reopen":
        call, message = (
            lambda: reopen(milestone, editor.actor, now=now),
            _("Milestone reopened."),
        )
    else:
        call, message = (
            lambda: delete_milestone(milestone, editor.actor, now=now),
            _("Milestone deleted."),
        )
    if attempt_action(call):
        db.session.commit()
        flash(message, "success")
    return redirect(editor.url("edit_action", action_id=action.id) + "#milestones")


plan_route(ACTION + "/milestones", "new_milestone", new_milestone, ("POST",))
plan_route(MILESTONE, "edit_milestone", edit_milestone, ("GET", "POST"))
plan_route(MILESTONE + "/done", "milestone_done", mark_milestone_done, ("POST",))
plan_route(
    MILESTONE + "/<any(reopen, delete):step>",
    "milestone_step",
    milestone_step,
    ("POST",),
)
