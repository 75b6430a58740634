"""Editing a city's Covenant of Mayors commitments, for those who may edit
the city's action plan (admins, organisers of an event it hosts)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.actions.access import can_edit_plan
from consult.actions.forms import ButtonForm
from consult.attempts import attempt_action, submit
from consult.cities.models import City
from consult.covenant import bp
from consult.covenant.forms import CommitmentForm
from consult.covenant.labels import PILLAR_LABELS, STATUS_LABELS
from consult.covenant.models import CovenantCommitment
from consult.covenant.services.editing import (
    check_commitment,
    city_actions,
    commitments_of,
    create_commitment,
    delete_commitment,
    update_commitment,
)
from consult.extensions import db
from consult.timeutil import now_utc

BASE = "/manage/cities/<city_slug>/covenant"


def _city_or_abort(city_slug: str) -> City:
    city = db.session.scalar(select(City).where(City.slug == city_slug))
    if city is None:
        abort(404)
    if not can_edit_plan(current_user, city):
        abort(403)
    return city


def _commitment_or_404(city: City, commitment_id: int) -> CovenantCommitment:
    commitment = db.session.get(CovenantCommitment, commitment_id)
    if commitment is None or commitment.city_id != city.id:
        abort(404)
    return commitment


def _form_page(city, form, commitment=None, status=200):
    form.offer(city_actions(city))
    page = render_template(
        "covenant/manage/form.html",
        city=city,
        form=form,
        commitment=commitment,
        button=ButtonForm(),
    )
    return page, status


@bp.get(BASE, endpoint="manage")
@login_required
def manage(city_slug: str):
    city = _city_or_abort(city_slug)
    return render_template(
        "covenant/manage/list.html",
        city=city,
        commitments=commitments_of(city),
        pillar_labels=PILLAR_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.route(BASE + "/new", methods=["GET", "POST"], endpoint="new")
@login_required
def new(city_slug: str):
    city = _city_or_abort(city_slug)
    if request.method == "GET":
        return _form_page(city, CommitmentForm(formdata=None))
    form = CommitmentForm()
    form.offer(city_actions(city))
    outcome = submit(
        form,
        lambda: create_commitment(city, current_user, form.to_data(), now=now_utc()),
        check=lambda: check_commitment(city, form.to_data(), now=now_utc()),
    )
    if not outcome:
        return _form_page(city, form, status=422)
    db.session.commit()
    flash(_("The commitment is added."), "success")
    return redirect(url_for("covenant.manage", city_slug=city.slug))


@bp.route(BASE + "/<int:commitment_id>", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit(city_slug: str, commitment_id: int):
    city = _city_or_abort(city_slug)
    commitment = _commitment_or_404(city, commitment_id)
    if request.method == "GET":
        return _form_page(city, CommitmentForm.for_commitment(commitment), commitment)
    form = CommitmentForm()
    form.offer(city_actions(city))
    outcome = submit(
        form,
        lambda: update_commitment(
            commitment, current_user, form.to_data(), now=now_utc()
        ),
        check=lambda: check_commitment(city, form.to_data(), now=now_utc()),
    )
    if not outcome:
        return _form_page(city, form, commitment, 422)
    db.session.commit()
    flash(_("The commitment is saved."), "success")
    return redirect(url_for("covenant.manage", city_slug=city.slug))


@bp.route(
    BASE + "/<int:commitment_id>/delete", methods=["GET", "POST"], endpoint="delete"
)
@login_required
def delete(city_slug: str, commitment_id: int):
    city = _city_or_abort(city_slug)
    commitment = _commitment_or_404(city, commitment_id)
    button = ButtonForm()
    if request.method == "GET":
        return render_template(
            "covenant/manage/delete.html",
            city=city,
            commitment=commitment,
            button=button,
            pillar_labels=PILLAR_LABELS,
        )
    if not button.validate_on_submit():
        abort(400)
    if attempt_action(lambda: delete_commitment(commitment, current_user)):
        db.session.commit()
        flash(_("The commitment is deleted."), "success")
    return redirect(url_for("covenant.manage", city_slug=city.slug))
