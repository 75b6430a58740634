"""Preparing, launching and closing polls (moderators)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action, submit
from consult.extensions import db
from consult.live import bp
from consult.live.forms import ActionForm, PollForm
from consult.live.routes.helpers import moderated_event_or_404
from consult.live.routes.manage import BASE, moderate_page
from consult.live.services.polls import change_poll, create_poll, poll_in
from consult.timeutil import now_utc


@bp.post(f"{BASE}/polls")
@login_required
def new_poll(slug: str):
    event = moderated_event_or_404(slug)
    form = PollForm()
    outcome = submit(
        form, lambda: create_poll(current_user, event, form.to_data(), now=now_utc())
    )
    if not outcome:
        return moderate_page(slug, poll_form=form, status=422)
    db.session.commit()
    flash(_("The poll is ready to launch."), "success")
    return redirect(url_for(".moderate_page", slug=slug) + "#polls")


@bp.post(f"{BASE}/polls/<int:poll_id>")
@login_required
def poll_action(slug: str, poll_id: int):
    event = moderated_event_or_404(slug)
    poll_in(event, poll_id)  # another event's poll: 404
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = attempt_action(
        lambda: change_poll(
            current_user, event, poll_id, form.action.data, now=now_utc()
        )
    )
    if outcome:
        db.session.commit()
    return redirect(url_for(".moderate_page", slug=slug) + f"#poll-{poll_id}")
