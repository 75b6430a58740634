"""An organiser erases a registrant's data on the person's request (a request
received by email or phone): a page says what goes and what stays, in
numbers, and that it cannot be undone; its button does it (no script)."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.registration import bp
from consult.registration.forms_manage import EraseForm
from consult.registration.routes.manage_helpers import (
    back_to_list,
    list_args,
    require_valid,
)
from consult.registration.services.erasure import (
    erase_on_request,
    organiser_erasure_plan,
)
from consult.registration.services.organiser import registration_of
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/registrations"


@bp.route(BASE + "/<int:registration_id>/erase", methods=["GET", "POST"])
@login_required
def manage_erase(slug: str, registration_id: int):
    """GET shows what the erasure does; POST with the plan shown does it (a
    POST without it, or with a plan no longer true, shows the plan again)."""
    event = managed_event_or_404(slug)
    form = EraseForm()
    if form.is_submitted() and form.fingerprint.data:
        require_valid(form)
        name = registration_of(event, registration_id).full_name
        outcome = attempt_action(
            lambda: erase_on_request(
                event,
                registration_id,
                current_user,
                now=now_utc(),
                expected=form.fingerprint.data,
            )
        )
        if outcome:
            db.session.commit()
            flash(
                _(
                    "The personal data of %(name)s is erased. "
                    "The registration stays as “Erased participant”.",
                    name=name,
                ),
                "success",
            )
            return back_to_list(event)
    shown = attempt_action(
        lambda: organiser_erasure_plan(event, registration_id, current_user)
    )
    if not shown:  # already erased
        return back_to_list(event)
    registration, plan = shown.value
    return render_template(
        "registration/manage/erase.html",
        event=event,
        registration=registration,
        plan=plan,
        form=form,
        back=list_args(),
    )
