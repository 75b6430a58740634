"""What a programme holds: its organisers, events, template and city pairs."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.events.services import managed_events
from consult.extensions import db
from consult.forms import FlaskForm
from consult.programmes import bp
from consult.programmes.access import edited_programme_or_404
from consult.programmes.forms import EventChoiceForm, OrganiserForm, PairForm
from consult.programmes.routes.manage import manage_page
from consult.programmes.services.editing import (
    add_organiser,
    attach_event,
    detach_event,
    new_event_from_template,
    remove_organiser,
    set_template,
)
from consult.programmes.services.pairs import add_pair, remove_pair
from consult.timeutil import now_utc

PREFIX = "/manage/programmes/<programme_slug>"


def _back(programme, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("programmes.manage", programme_slug=programme.slug))


@bp.post(PREFIX + "/organisers")
@login_required
def add_organiser_to(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    form = OrganiserForm()
    call = lambda: add_organiser(  # noqa: E731
        programme, current_user, form.email.data, now=now_utc()
    )
    if form.validate_on_submit() and (outcome := attempt(form, call)):
        name = outcome.value.user.display_name
        return _back(programme, _("%(name)s can now edit this programme.", name=name))
    return manage_page(programme, 422, organiser_form=form)


@bp.post(PREFIX + "/organisers/<int:user_id>/remove")
@login_required
def remove_organiser_from(programme_slug: str, user_id: int):
    programme = edited_programme_or_404(programme_slug)
    now = now_utc()
    if attempt_action(
        lambda: remove_organiser(programme, current_user, user_id, now=now)
    ):
        return _back(programme, _("Organiser removed."))
    return redirect(url_for("programmes.manage", programme_slug=programme.slug))


@bp.post(PREFIX + "/events")
@login_required
def attach(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    form = EventChoiceForm().offer(managed_events(current_user))
    call = lambda: attach_event(  # noqa: E731
        programme, current_user, form.event_id.data, now=now_utc()
    )
    if form.validate_on_submit() and attempt(form, call):
        return _back(programme, _("The event is part of the programme now."))
    return manage_page(programme, 422, attach_form=form)


@bp.post(PREFIX + "/events/<int:event_id>/detach")
@login_required
def detach(programme_slug: str, event_id: int):
    programme = edited_programme_or_404(programme_slug)
    now = now_utc()
    if attempt_action(lambda: detach_event(programme, current_user, event_id, now=now)):
        return _back(programme, _("The event left the programme."))
    return redirect(url_for("programmes.manage", programme_slug=programme.slug))


@bp.post(PREFIX + "/template")
@login_required
def template(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    form = EventChoiceForm().offer(programme.events)
    call = lambda: set_template(  # noqa: E731
        programme, current_user, form.event_id.data, now=now_utc()
    )
    if form.validate_on_submit() and attempt(form, call):
        return _back(programme, _("New events of the programme start from this one."))
    return manage_page(programme, 422, template_form=form)


@bp.post(PREFIX + "/pairs")
@login_required
def add_city_pair(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    form = PairForm()
    call = lambda: add_pair(  # noqa: E731
        programme,
        current_user,
        host=(form.host_city.data, form.host_country.data),
        partner=(form.partner_city.data, form.partner_country.data),
        themes=form.themes.data,
        now=now_utc(),
    )
    if form.validate_on_submit() and attempt(form, call):
        return _back(programme, _("The cities are paired."))
    return manage_page(programme, 422, pair_form=form)


@bp.post(PREFIX + "/pairs/<int:pair_id>/remove")
@login_required
def remove_city_pair(programme_slug: str, pair_id: int):
    programme = edited_programme_or_404(programme_slug)
    now = now_utc()
    if attempt_action(lambda: remove_pair(programme, current_user, pair_id, now=now)):
        return _back(programme, _("City pair removed."))
    return redirect(url_for("programmes.manage", programme_slug=programme.slug))


@bp.route(PREFIX + "/new-event", methods=["GET", "POST"])
@login_required
def new_from_template(programme_slug: str):
    """A new draft from the programme's template, every part copied."""
    programme = edited_programme_or_404(programme_slug)
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template(
            "programmes/manage/new_event.html", programme=programme, form=form
        )
    now = now_utc()
    outcome = attempt_action(
        lambda: new_event_from_template(programme, current_user, now=now)
    )
    if not outcome:
        return redirect(url_for("programmes.manage", programme_slug=programme.slug))
    db.session.commit()
    flash(_("A new draft was made from the programme's template. Check its dates."),
          "success")  # fmt: skip
    return redirect(url_for("events.edit", slug=outcome.value.slug))
