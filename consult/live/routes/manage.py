"""The moderators' pages: the questions and polls, settings and co-hosts,
the presenter view and the results by group."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action, submit
from consult.events.access import can_manage, managed_event_or_404
from consult.extensions import db
from consult.live import bp
from consult.live.forms import (
    KIND_LABELS,
    ActionForm,
    ButtonForm,
    CohostForm,
    MergeForm,
    PollForm,
    SettingsForm,
)
from consult.live.routes.helpers import (
    kept_state,
    moderated_event_or_404,
    not_modified,
    version_of,
)
from consult.live.services.moderators import (
    add_cohost,
    cohosts_of,
    remove_cohost,
    save_settings,
)
from consult.live.services.questions import merge, moderate, question_in
from consult.live.services.state import moderator_state, ordered
from consult.live.services.window import settings_of, window_of
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/live"


def _moderator_state(event) -> dict:
    """The moderators' state document, with the ETag its poller starts from."""
    event_id, version = version_of(event.slug)
    body = kept_state("moderator", event_id, version, lambda: moderator_state(event))
    return {**json.loads(body), "etag": f'W/"moderator-{version}"'}


@bp.get(BASE)
@login_required
def moderate_page(slug: str, poll_form=None, status=200):
    event = moderated_event_or_404(slug)
    state = _moderator_state(event)
    questions = state["questions"]
    shown = [q for q in questions if q["state"] != "hidden" and not q["merged_into"]]
    page = render_template(
        "live/manage/moderate.html",
        event=event,
        state=state,
        by_state={
            name: ordered([q for q in questions if q["state"] == name], "votes")
            for name in ("pending", "approved", "answered", "hidden")
        },
        merge_targets=shown,
        window=window_of(event),
        phase=window_of(event).phase(now_utc()),
        poll_form=poll_form or PollForm(formdata=None),
        kind_labels=KIND_LABELS,
        action=ActionForm(formdata=None),
        merge_form=MergeForm(formdata=None),
        organiser=can_manage(current_user, event),
    )
    return page, status


@bp.get(f"{BASE}/state.json")
@login_required
def moderator_state_json(slug: str):
    event = moderated_event_or_404(slug)
    event_id, version = version_of(slug)
    etag = f"moderator-{version}"
    if not_modified(etag):
        response = Response(b"", status=304, mimetype="application/json")
    else:
        body = kept_state(
            "moderator", event_id, version, lambda: moderator_state(event)
        )
        response = Response(body, mimetype="application/json")
    response.set_etag(etag, weak=True)
    return response


@bp.post(f"{BASE}/questions/<int:question_id>")
@login_required
def moderate_question(slug: str, question_id: int):
    event = moderated_event_or_404(slug)
    question_in(event, question_id)  # another event's question: 404
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt_action(
        lambda: moderate(
            current_user, event, question_id, form.action.data, now=now_utc()
        )
    )
    if outcome:
        db.session.commit()
    return redirect(url_for(".moderate_page", slug=slug) + f"#q-{question_id}")


@bp.post(f"{BASE}/questions/<int:question_id>/merge")
@login_required
def merge_question(slug: str, question_id: int):
    event = moderated_event_or_404(slug)
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt_action(
        lambda: merge(current_user, event, question_id, form.target(), now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_("The questions are merged."), "success")
    return redirect(url_for(".moderate_page", slug=slug))


@bp.get(f"{BASE}/presenter")
@login_required
def presenter(slug: str):
    event = moderated_event_or_404(slug)
    state = _moderator_state(event)
    shown = [q for q in state["questions"] if q["state"] == "approved"]
    pinned = next((q for q in shown if q["pinned"]), None)
    top = [q for q in ordered(shown, "votes") if not q["pinned"]][:5]
    running = [p for p in state["polls"] if p["state"] == "open"]
    return render_template(
        "live/manage/presenter.html",
        event=event,
        state=state,
        pinned=pinned,
        top=top,
        running=running,
    )


@bp.get(f"{BASE}/results")
@login_required
def results(slug: str):
    event = moderated_event_or_404(slug)
    state = _moderator_state(event)
    questions = [q for q in state["questions"] if not q["merged_into"]]
    return render_template(
        "live/manage/results.html",
        event=event,
        questions=ordered([q for q in questions if q["state"] != "hidden"], "votes"),
        polls=[p for p in state["polls"] if p["state"] != "draft"],
        kind_labels=KIND_LABELS,
    )


@bp.route(f"{BASE}/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    event = managed_event_or_404(slug)
    current = settings_of(event)
    form = SettingsForm(obj=current)
    outcome = submit(
        form, lambda: save_settings(current_user, event, form.to_data(), now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_("The live room's settings are saved."), "success")
        return redirect(url_for(".settings", slug=slug))
    return _settings_page(event, form, CohostForm(formdata=None), form.is_submitted())


def _settings_page(event, form, cohost_form, refused: bool):
    page = render_template(
        "live/manage/settings.html",
        event=event,
        form=form,
        cohost_form=cohost_form,
        cohosts=cohosts_of(event),
        window=window_of(event),
        button=ButtonForm(formdata=None),
    )
    return page, 422 if refused else 200


@bp.post(f"{BASE}/cohosts")
@login_required
def add_cohost_route(slug: str):
    event = managed_event_or_404(slug)
    form = CohostForm()
    outcome = submit(
        form, lambda: add_cohost(current_user, event, form.email.data, now=now_utc())
    )
    if outcome:
        db.session.commit()
        flash(_("The co-host is added."), "success")
        return redirect(url_for(".settings", slug=slug))
    return _settings_page(event, SettingsForm(obj=settings_of(event)), form, True)


@bp.post(f"{BASE}/cohosts/<int:user_id>/remove")
@login_required
def remove_cohost_route(slug: str, user_id: int):
    event = managed_event_or_404(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    outcome = attempt_action(lambda: remove_cohost(current_user, event, user_id))
    if outcome:
        db.session.commit()
        flash(_("The co-host is removed."), "success")
    return redirect(url_for(".settings", slug=slug))
