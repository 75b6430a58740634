"""The public call for contributions page, its forms (propose, lost link), and
published slides."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult.challenges.services import event_challenges, expert_from_token
from consult.contributions import bp
from consult.contributions.forms import LinkResendForm, NewProposalForm
from consult.contributions.routes.helpers import (
    proposal_rate_limit,
    slides_response,
    uploaded_slides,
)
from consult.contributions.services import (
    accepted_public,
    call_for,
    call_open,
    check_proposal,
    kind_label,
    proposal_of,
    proposal_token,
    resend_links,
    slides_public,
    submit_proposal,
)
from consult.contributions.services.links import LINK_RESEND_SECONDS
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.events.access import visible_event_or_404
from consult.extensions import db, limiter
from consult.forms import show_error
from consult.registration.countries import country_name
from consult.timeutil import now_utc


def _call_page(event, form=None, status=200, link_form=None):
    call = call_for(event)
    now = now_utc()
    is_open = call_open(call, now)
    if form is None and call is not None:
        form = NewProposalForm(formdata=None)
    if form is not None and call is not None:
        form.setup(event, call, event_challenges(event))
    page = render_template(
        "contributions/call.html",
        event=event,
        call=call,
        is_open=is_open,
        now=now,
        form=form,
        link_form=link_form or LinkResendForm(formdata=None),
        kind_label=kind_label,
        accepted=accepted_public(event),
        slides_public=slides_public,
    )
    return page, status


def _invited_expert_form(event, token: str):
    """The form prefilled for an expert arriving with their invitation link."""
    try:
        expert = expert_from_token(token)
    except NotFound:
        return None
    if expert.event_id != event.id:
        return None
    speaker = {
        "name": expert.name,
        "email": expert.email,
        "affiliation": expert.organisation,
        "city": expert.city,
        "country": country_name(expert.country) if expert.country else "",
    }
    return NewProposalForm(
        formdata=None,
        data={
            "proposer_name": expert.name,
            "proposer_email": expert.email,
            "language": expert.language,
            "speakers": [{**speaker, "language": expert.language}],
        },
    )


@bp.route("/events/<slug>/contribute", methods=["GET"], endpoint="call")
def call_page(slug: str):
    event = visible_event_or_404(slug)
    token = request.args.get("expert", "")
    form = _invited_expert_form(event, token) if token else None
    return _call_page(event, form)


@bp.post("/events/<slug>/contribute")
@limiter.limit(proposal_rate_limit, methods=["POST"])
def submit(slug: str):
    event = visible_event_or_404(slug)
    call = call_for(event)
    if call is None:
        abort(404)
    form = NewProposalForm()
    form.setup(event, call, event_challenges(event))
    if not form.validate_on_submit():
        # The service's rules too, so that one submit reports every problem.
        try:
            check_proposal(event, form.to_data(None))
        except ValidationFailed as exc:
            show_error(form, exc, beside_checked=True)
        return _call_page(event, form, 422)
    try:
        proposal = submit_proposal(
            event, form.to_data(uploaded_slides(form)), now=now_utc()
        )
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        show_error(form, exc)
        return _call_page(event, form, 422)
    db.session.commit()
    flash(
        _(
            "Thank you: your proposal is received. We also sent this page's link to "
            "%(email)s.",
            email=proposal.proposer_email,
        ),
        "success",
    )
    return redirect(
        url_for("contributions.proposal", slug=slug, token=proposal_token(proposal))
    )


@bp.post("/events/<slug>/contribute/link")
@limiter.limit(proposal_rate_limit, methods=["POST"])
def resend_link(slug: str):
    event = visible_event_or_404(slug)
    if call_for(event) is None:
        abort(404)
    form = LinkResendForm()
    if not form.validate_on_submit():
        return _call_page(event, status=422, link_form=form)
    try:
        resend_links(event, form.email.data, now=now_utc())
    except ValidationFailed as exc:
        db.session.rollback()
        show_error(form, exc)
        return _call_page(event, status=422, link_form=form)
    db.session.commit()
    # The same answer whether or not the address sent proposals.
    flash(
        _(
            "If %(email)s sent proposals for this event, we have emailed their "
            "personal links to it. Links are sent again at most once every %(n)d "
            "minutes.",
            email=form.email.data.strip(),
            n=LINK_RESEND_SECONDS // 60,
        ),
        "success",
    )
    return redirect(url_for("contributions.call", slug=slug))


@bp.get("/events/<slug>/contributions/<int:proposal_id>/slides")
def public_slides(slug: str, proposal_id: int):
    event = visible_event_or_404(slug)
    try:
        proposal = proposal_of(event, proposal_id)
    except NotFound:
        abort(404)
    if not slides_public(proposal):
        abort(404)
    return slides_response(proposal)
