"""The proposer's own page, reached through the personal link: edit, withdraw,
download or erase their data."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consult.challenges.services import event_challenges
from consult.contributions import bp
from consult.contributions.forms import (
    ConfirmForm,
    EraseForm,
    LanguageForm,
    ProposalForm,
)
from consult.contributions.routes.helpers import (
    own_proposal_or_404,
    proposal_rate_limit,
    slides_response,
    uploaded_slides,
)
from consult.contributions.services import (
    call_for,
    editable,
    erase_proposal,
    export_proposal_data,
    kind_label,
    remove_slides,
    set_proposal_language,
    update_proposal,
    withdraw_proposal,
)
from consult.errors import Conflict, ValidationFailed
from consult.exports import personal_data_download
from consult.extensions import db, limiter
from consult.forms import show_error
from consult.languages import recipient_locale
from consult.timeutil import now_utc

BASE = "/events/<slug>/proposals/<token>"


def _page(proposal, token, form=None, status=200, erase_form=None, language_form=None):
    event = proposal.event
    can_edit = editable(proposal, now_utc())
    if can_edit:
        form = form or ProposalForm.for_proposal(proposal)
        form.setup(event, call_for(event), event_challenges(event), proposal.language)
    if language_form is None:
        language_form = LanguageForm(formdata=None, prefix="lang")
        language_form.language.prefill(recipient_locale(proposal))
    page = render_template(
        "contributions/proposal.html",
        event=event,
        proposal=proposal,
        token=token,
        call=call_for(event),
        form=form if can_edit else None,
        confirm_form=ConfirmForm(formdata=None),
        erase_form=erase_form or EraseForm(formdata=None, prefix="erase"),
        language_form=language_form,
        kind_label=kind_label,
        challenges={c.id: c for c in event_challenges(event, include_archived=True)},
    )
    return page, status


def _back(proposal, token):
    return redirect(
        url_for("contributions.proposal", slug=proposal.event.slug, token=token)
    )


@bp.get(BASE, endpoint="proposal")
def proposal_page(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    return _page(proposal, token)


@bp.post(BASE + "/edit")
@limiter.limit(proposal_rate_limit, methods=["POST"])
def edit(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    form = ProposalForm()
    form.setup(
        proposal.event,
        call_for(proposal.event),
        event_challenges(proposal.event),
        proposal.language,
    )
    if not form.validate_on_submit():
        return _page(proposal, token, form, 422)
    try:
        update_proposal(proposal, form.to_data(uploaded_slides(form)), now=now_utc())
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        show_error(form, exc)
        return _page(proposal, token, form, 422)
    db.session.commit()
    flash(_("Your changes are saved."), "success")
    return _back(proposal, token)


@bp.post(BASE + "/language", endpoint="proposal_language")
def language(slug: str, token: str):
    """The proposer's language for messages: the emails still to come use it."""
    proposal = own_proposal_or_404(slug, token)
    form = LanguageForm(prefix="lang")
    form.language.prefill(recipient_locale(proposal))
    if not form.validate_on_submit():
        return _page(proposal, token, status=422, language_form=form)
    try:
        set_proposal_language(proposal, form.language.data, now=now_utc())
    except ValidationFailed as exc:
        db.session.rollback()
        show_error(form, exc)
        return _page(proposal, token, status=422, language_form=form)
    db.session.commit()
    flash(_("Your settings are saved."), "success")
    return _back(proposal, token)


@bp.post(BASE + "/slides/remove")
def drop_slides(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    try:
        remove_slides(proposal, now=now_utc())
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(proposal, token)
    db.session.commit()
    flash(_("The slides are removed."), "success")
    return _back(proposal, token)


@bp.post(BASE + "/withdraw")
def withdraw(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm that you withdraw the proposal."), "error")
        return _back(proposal, token)
    withdraw_proposal(proposal, now=now_utc())
    db.session.commit()
    flash(_("Your proposal is withdrawn."), "success")
    return _back(proposal, token)


@bp.get(BASE + "/slides")
def own_slides(slug: str, token: str):
    return slides_response(own_proposal_or_404(slug, token))


@bp.get(BASE + "/data.json")
def own_data(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    return personal_data_download(
        export_proposal_data(proposal), f"proposal-{proposal.event.slug}.json"
    )


@bp.post(BASE + "/erase")
def erase(slug: str, token: str):
    proposal = own_proposal_or_404(slug, token)
    form = EraseForm(prefix="erase")
    if not form.validate_on_submit():
        return _page(proposal, token, status=422, erase_form=form)
    event = proposal.event
    erase_proposal(proposal, now=now_utc())
    db.session.commit()
    # The old link no longer opens anything: say so on this page only.
    return render_template("contributions/erased.html", event=event)
