"""Organiser pages: the proposals list (also for reviewers), the call, reviewers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consult.attempts import attempt, submit
from consult.contributions import bp
from consult.contributions.forms import ActionForm, CallForm, ReviewerForm
from consult.contributions.models import PROPOSAL_STATUSES, Reviewer
from consult.contributions.routes.helpers import review_event_or_404
from consult.contributions.services import (
    add_reviewer,
    averages,
    call_for,
    call_open,
    check_call,
    event_proposals,
    event_reviewers,
    kind_label,
    rated_by,
    remove_reviewer,
    update_call,
)
from consult.contributions.services.queries import PAGE_SIZE
from consult.errors import NotFound
from consult.events.access import can_manage, managed_event_or_404
from consult.events.models import Event
from consult.extensions import db
from consult.numbers import query_page
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/contributions"


@bp.get(BASE, endpoint="manage")
@login_required
def manage(slug: str):
    event = review_event_or_404(slug)
    status = request.args.get("status") or None
    page = query_page()
    proposals, total = event_proposals(event, status=status, page=page)
    now = now_utc()
    return render_template(
        "contributions/manage/index.html",
        event=event,
        proposals=proposals,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        status=status if status in PROPOSAL_STATUSES else None,
        statuses=PROPOSAL_STATUSES,
        averages=averages(event),
        rated=rated_by(event, current_user),
        is_manager=can_manage(current_user, event),
        call=call_for(event),
        is_open=call_open(call_for(event), now),
        now=now,
        kind_label=kind_label,
        active_sub="proposals",
    )


@bp.route(BASE + "/call", methods=["GET", "POST"])
@login_required
def call_settings(slug: str):
    event = managed_event_or_404(slug)
    if request.method == "POST":
        form = CallForm()
        if submit(
            form,
            lambda: update_call(event, current_user, form.to_data(), now=now_utc()),
            check=lambda: check_call(event, form.to_data()),
        ):
            db.session.commit()
            flash(_("The call for contributions is saved."), "success")
            return redirect(url_for("contributions.call_settings", slug=slug))
        status = 422
    else:
        form, status = CallForm.for_call(call_for(event), event.timezone), 200
    page = render_template(
        "contributions/manage/call.html",
        event=event,
        form=form,
        call=call_for(event),
        active_sub="call",
        is_manager=True,
    )
    return page, status


@bp.route(BASE + "/reviewers", methods=["GET", "POST"])
@login_required
def reviewers(slug: str):
    event = managed_event_or_404(slug)
    form = ReviewerForm() if request.method == "POST" else ReviewerForm(formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and attempt(
            form,
            lambda: add_reviewer(
                event,
                current_user,
                form.email.data,
                form.name.data or "",
                now=now_utc(),
            ),
        ):
            db.session.commit()
            flash(_("Reviewer added; they were told by email."), "success")
            return redirect(url_for("contributions.reviewers", slug=slug))
        status = 422
    page = render_template(
        "contributions/manage/reviewers.html",
        event=event,
        form=form,
        reviewers=event_reviewers(event),
        action_form=ActionForm(),
        active_sub="reviewers",
        is_manager=True,
    )
    return page, status


@bp.post(BASE + "/reviewers/<int:reviewer_id>/remove")
@login_required
def reviewer_remove(slug: str, reviewer_id: int):
    event = managed_event_or_404(slug)
    if ActionForm().validate_on_submit():
        try:
            remove_reviewer(event, current_user, reviewer_id, now=now_utc())
        except NotFound:
            abort(404)
        db.session.commit()
        flash(_("Reviewer removed."), "success")
    return redirect(url_for("contributions.reviewers", slug=slug))


@bp.get("/manage/reviews")
@login_required
def my_reviews():
    events = list(
        db.session.scalars(
            select(Event)
            .join(Reviewer, Reviewer.event_id == Event.id)
            .where(Reviewer.user_id == current_user.id)
            .order_by(Event.start_at.desc())
        )
    )
    return render_template("contributions/my_reviews.html", events=events)
