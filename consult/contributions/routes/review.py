"""One proposal for its reviewers and organisers: rating, decision, slot, slides."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.challenges.services import event_challenges
from consult.contributions import bp
from consult.contributions.forms import DecisionForm, PlaceForm, RatingForm
from consult.contributions.routes.helpers import review_event_or_404, slides_response
from consult.contributions.services import (
    SlotNeedsConfirmation,
    decide,
    default_message,
    kind_label,
    place_proposal,
    proposal_of,
    rate,
    rating_view,
)
from consult.contributions.services.decisions import check_decision, suggest_start
from consult.contributions.services.review import DECISIONS
from consult.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from consult.events.access import can_manage, managed_event_or_404
from consult.extensions import db
from consult.forms import WallClockField, show_error
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/contributions/<int:proposal_id>"


def _proposal(event, proposal_id):
    try:
        return proposal_of(event, proposal_id)
    except NotFound:
        abort(404)


def _suggested_start(event, proposal):
    if proposal.session is not None:
        moment = proposal.session.start_at
    else:
        moment = suggest_start(event, proposal.duration_minutes)
    return WallClockField.from_instant(moment, event.timezone)


def _page(
    event,
    proposal,
    *,
    rating_form=None,
    decision_form=None,
    place_form=None,
    warnings=(),
    status=200,
):
    view = rating_view(proposal, current_user)
    manager = can_manage(current_user, event)
    if rating_form is None:
        own = view.own
        rating_form = RatingForm(
            formdata=None,
            data={
                "score": str(own.score) if own else None,
                "comment": own.comment if own else "",
            },
        )
    start = _suggested_start(event, proposal)
    decided = proposal.status if proposal.status in DECISIONS else "accepted"
    decision_form = decision_form or DecisionForm(
        formdata=None,
        data={
            "decision": decided,
            "start": start,
            "message": proposal.decision_message or default_message(proposal, decided),
        },
    )
    place_form = place_form or PlaceForm(formdata=None, data={"start": start})
    page = render_template(
        "contributions/manage/proposal.html",
        event=event,
        proposal=proposal,
        view=view,
        is_manager=manager,
        rating_form=rating_form,
        decision_form=decision_form,
        place_form=place_form,
        warnings=list(warnings),
        kind_label=kind_label,
        messages={
            d: default_message(proposal, d) for d in ("accepted", "reserve", "rejected")
        },
        challenges={c.id: c for c in event_challenges(event, include_archived=True)},
        active_sub="proposals",
    )
    return page, status


def _back(event, proposal):
    return redirect(
        url_for("contributions.review", slug=event.slug, proposal_id=proposal.id)
    )


@bp.get(BASE, endpoint="review")
@login_required
def review(slug: str, proposal_id: int):
    event = review_event_or_404(slug)
    return _page(event, _proposal(event, proposal_id))


@bp.post(BASE + "/rate")
@login_required
def rate_proposal(slug: str, proposal_id: int):
    event = review_event_or_404(slug)
    proposal = _proposal(event, proposal_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _page(event, proposal, rating_form=form, status=422)
    try:
        rate(
            proposal,
            current_user,
            int(form.score.data),
            form.comment.data or "",
            now=now_utc(),
        )
    except (ValidationFailed, Conflict) as exc:
        db.session.rollback()
        show_error(form, exc)
        return _page(event, proposal, rating_form=form, status=422)
    db.session.commit()
    flash(_("Your rating is saved."), "success")
    return _back(event, proposal)


def _slot_failed(event, proposal, form, exc, key):
    db.session.rollback()
    warnings = exc.warnings if isinstance(exc, SlotNeedsConfirmation) else ()
    if not warnings:
        show_error(form, exc)
    return _page(event, proposal, warnings=warnings, status=422, **{key: form})


@bp.post(BASE + "/decide")
@login_required
def decide_proposal(slug: str, proposal_id: int):
    event = managed_event_or_404(slug)
    proposal = _proposal(event, proposal_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        # The service's rules too, so that one submit reports every problem.
        try:
            check_decision(
                proposal,
                form.decision.data or "",
                form.message.data or "",
                form.start.data,
            )
        except ValidationFailed as exc:
            show_error(form, exc, beside_checked=True)
        return _page(event, proposal, decision_form=form, status=422)
    try:
        decide(
            proposal,
            current_user,
            form.decision.data,
            form.message.data or "",
            now=now_utc(),
            start=form.start.data,
            confirm=bool(form.confirm.data),
        )
    except (ValidationFailed, Conflict, PermissionDenied) as exc:
        return _slot_failed(event, proposal, form, exc, "decision_form")
    db.session.commit()
    flash(_("Decision saved; the proposer is told by email."), "success")
    return _back(event, proposal)


@bp.post(BASE + "/place")
@login_required
def place(slug: str, proposal_id: int):
    event = managed_event_or_404(slug)
    proposal = _proposal(event, proposal_id)
    form = PlaceForm()
    if not form.validate_on_submit():
        return _page(event, proposal, place_form=form, status=422)
    try:
        place_proposal(
            proposal,
            current_user,
            form.start.data,
            now=now_utc(),
            confirm=bool(form.confirm.data),
        )
    except (ValidationFailed, Conflict) as exc:
        return _slot_failed(event, proposal, form, exc, "place_form")
    db.session.commit()
    flash(_("The session is placed; its speakers are told by email."), "success")
    return _back(event, proposal)


@bp.get(BASE + "/slides")
@login_required
def staff_slides(slug: str, proposal_id: int):
    event = review_event_or_404(slug)
    return slides_response(_proposal(event, proposal_id))
