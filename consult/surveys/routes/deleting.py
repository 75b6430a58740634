"""Deleting a survey or a question: a page says what is lost, in numbers,
and its button deletes (no script needed); Cancel goes back."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.surveys import bp
from consult.surveys.forms import ActionForm
from consult.surveys.services import has_responses, question_of, survey_of
from consult.surveys.services.deletions import (
    delete_question_as_planned,
    delete_survey_as_planned,
    question_deletion_plan,
    survey_deletion_plan,
)
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/surveys"


@bp.route(
    BASE + "/<int:survey_id>/delete", methods=["GET", "POST"], endpoint="manage_delete"
)
@login_required
def manage_delete(slug: str, survey_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    shown = _confirmed()
    if shown and attempt_action(
        lambda: delete_survey_as_planned(
            survey, current_user, now=now_utc(), expected=shown
        )
    ):
        db.session.commit()
        flash(_("Survey deleted."), "success")
        return redirect(url_for("surveys.manage_list", slug=slug))
    return _page(event, survey, None, survey_deletion_plan(survey, current_user))


@bp.route(
    BASE + "/<int:survey_id>/questions/<int:question_id>/delete",
    methods=["GET", "POST"],
    endpoint="question_delete",
)
@login_required
def question_delete(slug: str, survey_id: int, question_id: int):
    event = managed_event_or_404(slug)
    survey = survey_of(event, survey_id)
    question = question_of(survey, question_id)
    shown = _confirmed()
    if shown and attempt_action(
        lambda: delete_question_as_planned(
            question, current_user, now=now_utc(), expected=shown
        )
    ):
        db.session.commit()
        flash(_("Question deleted."), "success")
        return redirect(url_for("surveys.manage_edit", slug=slug, survey_id=survey.id))
    plan = question_deletion_plan(question, current_user)
    return _page(event, survey, question, plan)


def _confirmed() -> str | None:
    """The plan confirmed by a POST (its fingerprint), or None for a first view."""
    if request.method != "POST":
        return None
    if not ActionForm().validate_on_submit():
        abort(400)
    return request.form.get("fingerprint") or None


def _page(event, survey, question, plan):
    return render_template(
        "surveys/manage/confirm_delete.html",
        event=event,
        survey=survey,
        question=question,
        plan=plan,
        locked=has_responses(survey),
        action_form=ActionForm(),
        has_results_page="surveys.results" in current_app.view_functions,
    )
