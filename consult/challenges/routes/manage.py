"""Organiser pages: the challenge list, the window and method, priorities results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, submit
from consult.categories import category_label
from consult.challenges import bp
from consult.challenges.charts import priority_charts, priority_table
from consult.challenges.forms import (
    ActionForm,
    ChallengeEditForm,
    ChallengeForm,
    WindowForm,
)
from consult.challenges.labels import METHOD_LABELS
from consult.challenges.services import (
    add_challenge,
    challenge_of,
    check_link,
    event_challenges,
    lineage_members,
    link_candidates,
    linked_candidate,
    move_challenge,
    priority_results,
    remove_challenge,
    save_challenge,
    set_archived,
    settings_for,
    state_counts,
    update_window,
    window_open,
)
from consult.errors import NotFound, ValidationFailed
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/challenges"


def _manage_page(event, form=None, window_form=None):
    form = form or ChallengeForm(formdata=None)
    settings = settings_for(event)
    window_form = window_form or WindowForm.for_settings(settings, event.timezone)
    status = 422 if (form.errors or window_form.errors) else 200
    page = render_template(
        "challenges/manage/index.html",
        event=event,
        form=form,
        window_form=window_form,
        challenges=event_challenges(event, include_archived=True),
        settings=settings,
        is_open=window_open(event, now_utc()),
        counts=state_counts(event),
        category_label=category_label,
        method_labels=METHOD_LABELS,
        action_form=ActionForm(),
        active_sub="challenges",
    )
    return page, status


def _to_manage(event):
    return redirect(url_for("challenges.manage", slug=event.slug))


@bp.route(BASE, methods=["GET", "POST"], endpoint="manage")
@login_required
def manage(slug: str):
    event = managed_event_or_404(slug)
    if request.method == "GET":
        return _manage_page(event)
    form = ChallengeForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: add_challenge(event, current_user, form.to_data(), now=now_utc()),
    ):
        db.session.commit()
        flash(_("Challenge added."), "success")
        return _to_manage(event)
    return _manage_page(event, form=form)


@bp.post(f"{BASE}/window")
@login_required
def manage_window(slug: str):
    event = managed_event_or_404(slug)
    form = WindowForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: update_window(event, current_user, form.to_data(), now=now_utc()),
    ):
        db.session.commit()
        flash(_("Submission window and method saved."), "success")
        return _to_manage(event)
    return _manage_page(event, window_form=form)


def _challenge_or_404(event, challenge_id):
    try:
        return challenge_of(event, challenge_id)
    except NotFound:
        abort(404)


@bp.route(f"{BASE}/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def manage_edit(slug: str, challenge_id: int):
    event = managed_event_or_404(slug)
    challenge = _challenge_or_404(event, challenge_id)
    form = ChallengeEditForm(obj=challenge if request.method == "GET" else None)
    candidates = link_candidates(challenge, current_user)
    linked = linked_candidate(challenge, candidates)
    keep = linked is None and challenge.lineage_id is not None
    form.set_links(candidates, linked, keep=keep)
    outcome = submit(
        form,
        lambda: save_challenge(
            challenge, current_user, form.to_data(), form.link_value(), now=now_utc()
        ),
        check=lambda: check_link(challenge, current_user, form.link_value()),
    )
    if outcome:
        db.session.commit()
        flash(_("Challenge saved."), "success")
        return _to_manage(event)
    page = render_template(
        "challenges/manage/edit.html",
        event=event,
        challenge=challenge,
        form=form,
        members=lineage_members(challenge),
        active_sub="challenges",
    )
    return page, 422 if form.is_submitted() else 200


@bp.post(f"{BASE}/<int:challenge_id>/<any(up, down, archive, restore, remove):action>")
@login_required
def manage_challenge_action(slug: str, challenge_id: int, action: str):
    event = managed_event_or_404(slug)
    challenge = _challenge_or_404(event, challenge_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    now = now_utc()
    calls = {
        "up": lambda: move_challenge(challenge, current_user, -1, now=now),
        "down": lambda: move_challenge(challenge, current_user, 1, now=now),
        "archive": lambda: set_archived(challenge, current_user, True, now=now),
        "restore": lambda: set_archived(challenge, current_user, False, now=now),
        "remove": lambda: remove_challenge(challenge, current_user, now=now),
    }
    messages = {
        "archive": _("Challenge archived."),
        "restore": _("Challenge restored."),
        "remove": _("Challenge removed."),
    }
    try:
        calls[action]()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _to_manage(event)
    db.session.commit()
    if action in messages:
        flash(messages[action], "success")
    return _to_manage(event)


@bp.get(f"{BASE}/priorities")
@login_required
def manage_priorities(slug: str):
    event = managed_event_or_404(slug)
    results = priority_results(event)
    return render_template(
        "challenges/manage/priorities.html",
        event=event,
        results=results,
        charts=priority_charts(results),
        shown=priority_table(results),
        method_labels=METHOD_LABELS,
        active_sub="priorities",
    )
