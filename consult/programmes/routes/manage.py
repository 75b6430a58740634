"""Organiser pages of programmes: list, create, the programme's page, edit."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt
from consult.auth.access import require_organiser_account
from consult.events.services import managed_events
from consult.extensions import db
from consult.forms import render_form
from consult.programmes import bp
from consult.programmes.access import edited_programme_or_404
from consult.programmes.forms import (
    EventChoiceForm,
    OrganiserForm,
    PairForm,
    ProgrammeForm,
)
from consult.programmes.services.editing import create_programme, update_programme
from consult.programmes.services.queries import organised_programmes
from consult.timeutil import now_utc


@bp.get("/manage/programmes/")
@login_required
def index():
    require_organiser_account()
    return render_template(
        "programmes/manage/index.html", programmes=organised_programmes(current_user)
    )


@bp.route("/manage/programmes/new", methods=["GET", "POST"])
@login_required
def create():
    require_organiser_account()
    form = ProgrammeForm()
    call = lambda: create_programme(  # noqa: E731
        current_user, form.name.data, form.description.data, now=now_utc()
    )
    if form.validate_on_submit() and (outcome := attempt(form, call)):
        db.session.commit()
        flash(_("Programme saved. Add its events and city pairs."), "success")
        return redirect(url_for("programmes.manage", programme_slug=outcome.value.slug))
    return render_form("programmes/manage/form.html", form, programme=None)


def manage_page(programme, status: int = 200, **forms):
    """The programme's organiser page, with any refused form as typed."""
    in_programme = {e.id for e in programme.events}
    mine = [e for e in managed_events(current_user) if e.id not in in_programme]
    forms.setdefault("organiser_form", OrganiserForm(formdata=None))
    forms.setdefault("attach_form", EventChoiceForm(formdata=None).offer(mine))
    forms.setdefault(
        "template_form", EventChoiceForm(formdata=None).offer(programme.events)
    )
    forms.setdefault("pair_form", PairForm(formdata=None))
    page = render_template(
        "programmes/manage/programme.html", programme=programme, **forms
    )
    return page, status


@bp.get("/manage/programmes/<programme_slug>/")
@login_required
def manage(programme_slug: str):
    return manage_page(edited_programme_or_404(programme_slug))


@bp.route("/manage/programmes/<programme_slug>/edit", methods=["GET", "POST"])
@login_required
def edit(programme_slug: str):
    programme = edited_programme_or_404(programme_slug)
    form = ProgrammeForm()
    if not form.is_submitted():
        form.name.data = programme.name
        form.description.data = programme.description_md
    call = lambda: update_programme(  # noqa: E731
        programme, current_user, form.name.data, form.description.data, now=now_utc()
    )
    if form.validate_on_submit() and attempt(form, call):
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("programmes.manage", programme_slug=programme.slug))
    return render_form("programmes/manage/form.html", form, programme=programme)
