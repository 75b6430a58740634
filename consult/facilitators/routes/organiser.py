"""Organiser page: invite and remove an event's facilitators."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.facilitators import bp
from consult.facilitators.forms import InviteFacilitatorForm
from consult.facilitators.services import (
    event_facilitators,
    invite_facilitator,
    remove_facilitator,
)
from consult.forms import render_form
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/facilitators"


@bp.route(BASE, methods=["GET", "POST"])
@login_required
def manage(slug: str):
    event = managed_event_or_404(slug)
    form = InviteFacilitatorForm()
    # Without choices the select is empty in a browser: nobody could invite.
    form.language.prefill(event.default_language)
    if form.validate_on_submit() and (
        outcome := attempt(
            form,
            lambda: invite_facilitator(
                event,
                current_user,
                form.email.data,
                form.name.data,
                language=form.language.data if form.language.raw_data else None,
                now=now_utc(),
            ),
        )
    ):
        db.session.commit()
        user = outcome.value.link.user
        if outcome.value.created:
            message = _(
                "%(name)s is a facilitator of this event. We emailed them a link "
                "to choose their password.",
                name=user.display_name,
            )
        else:
            message = _(
                "%(name)s is a facilitator of this event. We emailed them the news.",
                name=user.display_name,
            )
        flash(message, "success")
        return redirect(url_for("facilitators.manage", slug=slug))
    return render_form(
        "facilitators/manage.html",
        form,
        event=event,
        facilitators=event_facilitators(event),
    )


@bp.post(BASE + "/<int:facilitator_id>/remove")
@login_required
def remove(slug: str, facilitator_id: int):
    event = managed_event_or_404(slug)
    if attempt_action(
        lambda: remove_facilitator(event, current_user, facilitator_id, now=now_utc())
    ):
        db.session.commit()
        flash(_("Facilitator removed: they can no longer open this event."), "success")
    return redirect(url_for("facilitators.manage", slug=slug))
