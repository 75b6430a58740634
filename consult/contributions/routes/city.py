"""The host city's challenges: the representative's pages and the organisers' review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt_action, submit
from consult.categories import category_label
from consult.contributions import bp
from consult.contributions.forms import (
    ActionForm,
    CityChallengeForm,
    LanguageForm,
    RepresentativeForm,
)
from consult.contributions.routes.helpers import representative_or_404
from consult.contributions.services import (
    approve_city_challenge,
    can_propose,
    check_city_challenge,
    check_invitation,
    city_challenge_of,
    event_city_challenges,
    event_representatives,
    invite_representative,
    own_challenge,
    propose_challenge,
    reject_city_challenge,
    representative_url,
    revoke_representative,
    set_representative_language,
    update_proposed_challenge,
)
from consult.errors import NotFound, ValidationFailed
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.forms import show_error
from consult.languages import event_language, recipient_locale
from consult.timeutil import now_utc

CITY = "/events/<slug>/city/<token>"
MANAGE = "/manage/events/<slug>/contributions/city"


def _rep_page(rep, token, form=None, status=200, language_form=None):
    if language_form is None:
        language_form = LanguageForm(formdata=None, prefix="lang")
        language_form.language.prefill(recipient_locale(rep))
    page = render_template(
        "contributions/city_home.html",
        event=rep.event,
        rep=rep,
        token=token,
        form=form or CityChallengeForm(formdata=None),
        language_form=language_form,
        items=list(rep.proposals),
        is_open=can_propose(rep, now_utc()),
        category_label=category_label,
    )
    return page, status


@bp.route(CITY, methods=["GET", "POST"], endpoint="city_home")
def city_home(slug: str, token: str):
    rep = representative_or_404(slug, token)
    if request.method == "GET":
        return _rep_page(rep, token)
    form = CityChallengeForm()
    if not submit(
        form,
        lambda: propose_challenge(rep, form.to_data(), now=now_utc()),
        check=lambda: check_city_challenge(form.to_data()),
    ):
        return _rep_page(rep, token, form, 422)
    db.session.commit()
    flash(_("Challenge sent to the organisers for approval."), "success")
    return redirect(url_for("contributions.city_home", slug=slug, token=token))


@bp.post(CITY + "/language", endpoint="city_language")
def city_language(slug: str, token: str):
    """The representative's language for messages."""
    rep = representative_or_404(slug, token)
    form = LanguageForm(prefix="lang")
    form.language.prefill(recipient_locale(rep))
    if not form.validate_on_submit():
        return _rep_page(rep, token, status=422, language_form=form)
    try:
        set_representative_language(rep, form.language.data)
    except ValidationFailed as exc:
        db.session.rollback()
        show_error(form, exc)
        return _rep_page(rep, token, status=422, language_form=form)
    db.session.commit()
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("contributions.city_home", slug=slug, token=token))


@bp.route(CITY + "/<int:item_id>", methods=["GET", "POST"])
def city_edit(slug: str, token: str, item_id: int):
    rep = representative_or_404(slug, token)
    try:
        item = own_challenge(rep, item_id)
    except NotFound:
        abort(404)
    form = (
        CityChallengeForm()
        if request.method == "POST"
        else CityChallengeForm.for_item(item)
    )
    status = 200
    if request.method == "POST":
        status = 422
        if submit(
            form,
            lambda: update_proposed_challenge(rep, item, form.to_data(), now=now_utc()),
            check=lambda: check_city_challenge(form.to_data()),
        ):
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("contributions.city_home", slug=slug, token=token))
    page = render_template(
        "contributions/city_edit.html",
        event=rep.event,
        rep=rep,
        token=token,
        item=item,
        form=form,
        is_open=can_propose(rep, now_utc()) and item.status != "approved",
    )
    return page, status


@bp.route(MANAGE, methods=["GET", "POST"], endpoint="manage_city")
@login_required
def manage_city(slug: str):
    event = managed_event_or_404(slug)
    form = (
        RepresentativeForm()
        if request.method == "POST"
        else RepresentativeForm(formdata=None, data={"city": event.host_city})
    )
    form.language.prefill(event_language(event))
    status = 200
    if request.method == "POST":
        status = 422
        if submit(
            form,
            lambda: invite_representative(
                event,
                current_user,
                name=form.name.data,
                email=form.email.data,
                city=form.city.data or "",
                now=now_utc(),
                language=form.language.data,
            ),
            check=lambda: check_invitation(
                event,
                name=form.name.data,
                email=form.email.data,
                city=form.city.data or "",
                language=form.language.data,
            ),
        ):
            db.session.commit()
            flash(_("Invitation sent."), "success")
            return redirect(url_for("contributions.manage_city", slug=slug))
    page = render_template(
        "contributions/manage/city.html",
        event=event,
        form=form,
        reps=event_representatives(event),
        items=event_city_challenges(event),
        action_form=ActionForm(),
        category_label=category_label,
        representative_url=representative_url,
        active_sub="city",
        is_manager=True,
    )
    return page, status


@bp.post(MANAGE + "/<int:item_id>/<any(approve, reject):action>")
@login_required
def city_decide(slug: str, item_id: int, action: str):
    event = managed_event_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        item = city_challenge_of(event, item_id)
    except NotFound:
        abort(404)
    service = approve_city_challenge if action == "approve" else reject_city_challenge
    if attempt_action(lambda: service(event, current_user, item, now=now_utc())):
        db.session.commit()
        flash(
            _("Approved: the challenge is now on the event's challenge list.")
            if action == "approve"
            else _("Rejected: the representative can edit and send it again."),
            "success",
        )
    return redirect(url_for("contributions.manage_city", slug=slug))


@bp.post(MANAGE + "/representatives/<int:rep_id>/revoke")
@login_required
def city_revoke(slug: str, rep_id: int):
    event = managed_event_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        revoke_representative(event, current_user, rep_id, now=now_utc())
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("The representative's link no longer works."), "success")
    return redirect(url_for("contributions.manage_city", slug=slug))
