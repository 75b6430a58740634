"""Organiser page for who may manage an event: owner and co-organisers."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.events import bp
from consult.events.access import managed_event_or_404
from consult.events.forms import CoOrganiserForm
from consult.events.services import add_co_organiser, remove_co_organiser
from consult.extensions import db
from consult.forms import render_form
from consult.timeutil import now_utc


@bp.route("/manage/events/<slug>/organisers", methods=["GET", "POST"])
@login_required
def organisers(slug: str):
    event = managed_event_or_404(slug)
    form = CoOrganiserForm()
    if form.validate_on_submit() and (
        outcome := attempt(
            form,
            lambda: add_co_organiser(
                event, current_user, form.email.data, now=now_utc()
            ),
        )
    ):
        db.session.commit()
        name = outcome.value.user.display_name
        flash(
            _("%(name)s can now manage this event.", name=name),
            "success",
        )
        return redirect(url_for("events.organisers", slug=slug))
    return render_form("events/manage/organisers.html", form, event=event)


@bp.post("/manage/events/<slug>/organisers/<int:user_id>/remove")
@login_required
def organiser_remove(slug: str, user_id: int):
    event = managed_event_or_404(slug)
    if attempt_action(
        lambda: remove_co_organiser(event, current_user, user_id, now=now_utc())
    ):
        db.session.commit()
        flash(_("Co-organiser removed."), "success")
    if user_id == current_user.id and not current_user.is_admin:
        # Removing yourself ends your access to the management pages.
        return redirect(url_for("events.manage_index"))
    return redirect(url_for("events.organisers", slug=slug))
