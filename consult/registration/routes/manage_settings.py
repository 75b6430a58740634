"""Organiser pages for registration settings, stakeholder types and questions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action, submit
from consult.events.access import managed_event_or_404
from consult.events.services.languages import missing_counts
from consult.extensions import db
from consult.forms import render_form
from consult.registration import bp
from consult.registration.forms_manage import (
    KIND_LABELS,
    ActionForm,
    QuestionForm,
    SettingsForm,
    StakeholderTypeForm,
)
from consult.registration.routes.manage_helpers import event_types, require_valid
from consult.registration.services.settings import (
    add_question,
    add_stakeholder_type,
    check_question,
    check_stakeholder_type,
    move_question,
    question_of,
    registration_questions,
    remove_question,
    remove_stakeholder_type,
    stakeholder_type_of,
    update_question,
    update_registration_settings,
    update_stakeholder_type,
)
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/registration-settings"


def _settings_page(event, form=None, type_form=None):
    types = event_types(event)
    form = form or SettingsForm.for_event(event)
    type_form = type_form or StakeholderTypeForm(formdata=None)
    page = render_template(
        "registration/manage/settings.html",
        event=event,
        form=form,
        type_form=type_form,
        types=types,
        type_labels={t.key: t.label for t in types},
        questions=registration_questions(event),
        kind_labels=KIND_LABELS,
        action_form=ActionForm(),
        missing=missing_counts(event),
    )
    return page, 422 if (form.errors or type_form.errors) else 200


def _to_settings(event):
    return redirect(url_for("registration.manage_settings", slug=event.slug))


@bp.route(BASE, methods=["GET", "POST"])
@login_required
def manage_settings(slug: str):
    event = managed_event_or_404(slug)
    if request.method == "GET":
        return _settings_page(event)
    form = SettingsForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: update_registration_settings(
            event, current_user, form.to_data(), now=now_utc()
        ),
    ):
        db.session.commit()
        flash(_("Registration settings saved."), "success")
        return _to_settings(event)
    return _settings_page(event, form=form)


@bp.post(BASE + "/types")
@login_required
def manage_type_add(slug: str):
    event = managed_event_or_404(slug)
    form = StakeholderTypeForm()
    if submit(
        form,
        lambda: add_stakeholder_type(
            event, current_user, form.to_data(), now=now_utc()
        ),
        check=lambda: check_stakeholder_type(event, form.to_data()),
    ):
        db.session.commit()
        flash(_("Stakeholder type added."), "success")
        return _to_settings(event)
    return _settings_page(event, type_form=form)


@bp.route(BASE + "/types/<int:type_id>", methods=["GET", "POST"])
@login_required
def manage_type_edit(slug: str, type_id: int):
    event = managed_event_or_404(slug)
    kind = stakeholder_type_of(event, type_id)
    form = StakeholderTypeForm(obj=kind if request.method == "GET" else None)
    if submit(
        form,
        lambda: update_stakeholder_type(
            event, kind.id, current_user, form.to_data(), now=now_utc()
        ),
        check=lambda: check_stakeholder_type(event, form.to_data(), type_id=kind.id),
    ):
        db.session.commit()
        flash(_("Stakeholder type saved."), "success")
        return _to_settings(event)
    return render_form(
        "registration/manage/type_form.html", form, event=event, kind=kind
    )


@bp.post(BASE + "/types/<int:type_id>/remove")
@login_required
def manage_type_remove(slug: str, type_id: int):
    event = managed_event_or_404(slug)
    require_valid(ActionForm())
    call = lambda: remove_stakeholder_type(  # noqa: E731
        event, type_id, current_user, now=now_utc()
    )
    if attempt_action(call):
        db.session.commit()
        flash(_("Stakeholder type removed."), "success")
    return _to_settings(event)


@bp.route(BASE + "/questions/new", methods=["GET", "POST"])
@login_required
def manage_question_new(slug: str):
    event = managed_event_or_404(slug)
    form = QuestionForm(event_types(event))
    if submit(
        form,
        lambda: add_question(event, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_question(event, form.to_data()),
    ):
        db.session.commit()
        flash(_("Question added."), "success")
        return _to_settings(event)
    return render_form(
        "registration/manage/question_form.html", form, event=event, question=None
    )


@bp.route(BASE + "/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
def manage_question_edit(slug: str, question_id: int):
    event = managed_event_or_404(slug)
    question = question_of(event, question_id)
    types = event_types(event)
    form = (
        QuestionForm.for_question(types, question)
        if request.method == "GET"
        else QuestionForm(types)
    )
    if submit(
        form,
        lambda: update_question(
            event, question.id, current_user, form.to_data(), now=now_utc()
        ),
        check=lambda: check_question(event, form.to_data()),
    ):
        db.session.commit()
        flash(_("Question saved."), "success")
        return _to_settings(event)
    return render_form(
        "registration/manage/question_form.html", form, event=event, question=question
    )


@bp.post(BASE + "/questions/<int:question_id>/remove")
@login_required
def manage_question_remove(slug: str, question_id: int):
    event = managed_event_or_404(slug)
    require_valid(ActionForm())
    remove_question(event, question_id, current_user, now=now_utc())
    db.session.commit()
    flash(_("Question removed."), "success")
    return _to_settings(event)


@bp.post(BASE + "/questions/<int:question_id>/move")
@login_required
def manage_question_move(slug: str, question_id: int):
    event = managed_event_or_404(slug)
    require_valid(ActionForm())
    offset = -1 if request.form.get("direction") == "up" else 1
    move_question(event, question_id, current_user, offset, now=now_utc())
    db.session.commit()
    return _to_settings(event)
