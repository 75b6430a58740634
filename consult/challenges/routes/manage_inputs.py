"""Organiser pages: moderating inputs and inviting experts."""

from __future__ import annotations

import math

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, submit
from consult.challenges import bp
from consult.challenges.forms import (
    ActionForm,
    HideForm,
    InviteExpertForm,
    MergeForm,
    ModerationForm,
    opts,
)
from consult.challenges.labels import BUDGET_LABELS, KIND_LABELS, STATE_LABELS
from consult.challenges.models import INPUT_KINDS, INPUT_STATES
from consult.challenges.services import (
    InputFilter,
    checked_moderation,
    decide_expert,
    event_challenges,
    event_experts,
    event_input,
    expert_of,
    hide_input,
    invite_expert,
    merge_input,
    merge_targets,
    moderation_page,
    publish_input,
    state_counts,
    support_counts,
    update_moderation,
)
from consult.challenges.services.export import inputs_csv
from consult.challenges.services.queries import PAGE_SIZE
from consult.downloads import logged_download, record_download
from consult.errors import DomainError, NotFound
from consult.events.access import managed_event_or_404
from consult.exports import csv_download, csv_row_count
from consult.extensions import db
from consult.languages import event_language
from consult.numbers import query_int, query_page
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/challenges"


def _filter() -> InputFilter:
    args = request.args
    challenge = args.get("challenge", "")
    return InputFilter(
        state=args.get("state") if args.get("state") in INPUT_STATES else "",
        kind=args.get("kind") if args.get("kind") in INPUT_KINDS else "",
        challenge_id=query_int("challenge"),
        general=challenge == "general",
        page=query_page(),
    )


@bp.get(f"{BASE}/inputs")
@login_required
def manage_inputs(slug: str):
    event = managed_event_or_404(slug)
    flt = _filter()
    items, total = moderation_page(event, flt)
    return render_template(
        "challenges/manage/inputs.html",
        event=event,
        items=items,
        total=total,
        flt=flt,
        pages=max(1, math.ceil(total / PAGE_SIZE)),
        args={k: v for k, v in request.args.items() if k != "page"},
        counts=state_counts(event),
        supports=support_counts(i.id for i in items),
        challenges=event_challenges(event, include_archived=True),
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        kinds=INPUT_KINDS,
        states=INPUT_STATES,
        active_sub="inputs",
    )


@bp.get(f"{BASE}/inputs.csv")
@logged_download
@login_required
def manage_inputs_csv(slug: str):
    event = managed_event_or_404(slug)
    text = inputs_csv(event)
    # The same records as the dashboard's inputs export: the same kind.
    record_download(event, kind="inputs", fmt="csv", rows=csv_row_count(text))
    return csv_download(f"inputs-{event.slug}.csv", text)


def _input_or_404(event, input_id):
    try:
        return event_input(event, input_id)
    except NotFound:
        abort(404)


def _input_page(event, item, *, hide_form=None, merge_form=None, mod_form=None):
    merge_form = merge_form or MergeForm(formdata=None)
    merge_form.target_id.choices = opts(
        [("", _("Choose an input"))]
        + [(t.id, f"#{t.id} {t.title[:80]}") for t in merge_targets(event, item)]
    )
    mod_form = mod_form or ModerationForm(
        formdata=None,
        data={
            "tags": ", ".join(item.tags or []),
            "answer": item.answer,
            "selected_for_plan": item.selected_for_plan,
        },
    )
    forms = (hide_form, merge_form, mod_form)
    page = render_template(
        "challenges/manage/input.html",
        event=event,
        item=item,
        hide_form=hide_form or HideForm(formdata=None),
        merge_form=merge_form,
        mod_form=mod_form,
        action_form=ActionForm(),
        supports=support_counts([item.id]).get(item.id, 0),
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        budget_labels=BUDGET_LABELS,
        active_sub="inputs",
    )
    return page, 422 if any(f is not None and f.errors for f in forms) else 200


def _to_input(event, item):
    return redirect(
        url_for("challenges.manage_input", slug=event.slug, input_id=item.id)
    )


@bp.get(f"{BASE}/inputs/<int:input_id>")
@login_required
def manage_input(slug: str, input_id: int):
    event = managed_event_or_404(slug)
    return _input_page(event, _input_or_404(event, input_id))


@bp.post(f"{BASE}/inputs/<int:input_id>/publish")
@login_required
def manage_publish(slug: str, input_id: int):
    event = managed_event_or_404(slug)
    item = _input_or_404(event, input_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    publish_input(item, current_user, now=now_utc())
    db.session.commit()
    flash(_("Input published."), "success")
    return _to_input(event, item)


@bp.post(f"{BASE}/inputs/<int:input_id>/hide")
@login_required
def manage_hide(slug: str, input_id: int):
    event = managed_event_or_404(slug)
    item = _input_or_404(event, input_id)
    form = HideForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: hide_input(item, current_user, form.reason.data, now=now_utc()),
    ):
        db.session.commit()
        flash(_("Input hidden; the author sees your reason."), "success")
        return _to_input(event, item)
    return _input_page(event, item, hide_form=form)


@bp.post(f"{BASE}/inputs/<int:input_id>/merge")
@login_required
def manage_merge(slug: str, input_id: int):
    event = managed_event_or_404(slug)
    item = _input_or_404(event, input_id)
    form = MergeForm()
    form.target_id.choices = opts(
        [("", "")] + [(t.id, str(t.id)) for t in merge_targets(event, item)]
    )
    if form.validate_on_submit() and attempt(
        form,
        lambda: merge_input(item, current_user, form.target_id.data, now=now_utc()),
    ):
        db.session.commit()
        flash(_("Input merged."), "success")
        return _to_input(event, item)
    return _input_page(event, item, merge_form=form)


@bp.post(f"{BASE}/inputs/<int:input_id>/moderation")
@login_required
def manage_moderation(slug: str, input_id: int):
    event = managed_event_or_404(slug)
    item = _input_or_404(event, input_id)
    form = ModerationForm()
    texts = lambda: {"tags": form.tags.data or "", "answer": form.answer.data or ""}  # noqa: E731
    if submit(
        form,
        lambda: update_moderation(
            item,
            current_user,
            **texts(),
            selected_for_plan=form.selected_for_plan.data,
            now=now_utc(),
        ),
        check=lambda: checked_moderation(**texts()),
    ):
        db.session.commit()
        flash(_("Saved."), "success")
        return _to_input(event, item)
    return _input_page(event, item, mod_form=form)


def _experts_page(event, form=None):
    form = form or InviteExpertForm(formdata=None)
    form.language.prefill(event_language(event))
    page = render_template(
        "challenges/manage/experts.html",
        event=event,
        form=form,
        experts=event_experts(event),
        action_form=ActionForm(),
        active_sub="experts",
    )
    return page, 422 if form.errors else 200


@bp.route(f"{BASE}/experts", methods=["GET", "POST"])
@login_required
def manage_experts(slug: str):
    event = managed_event_or_404(slug)
    if request.method == "GET":
        return _experts_page(event)
    form = InviteExpertForm()
    form.language.prefill(event_language(event))
    if form.validate_on_submit() and attempt(
        form,
        lambda: invite_expert(
            event,
            current_user,
            email=form.email.data,
            name=form.name.data,
            message=form.message.data or "",
            now=now_utc(),
            language=form.language.data,
        ),
    ):
        db.session.commit()
        flash(_("Invitation queued for %(email)s.", email=form.email.data), "success")
        return redirect(url_for("challenges.manage_experts", slug=slug))
    return _experts_page(event, form)


@bp.post(f"{BASE}/experts/<int:expert_id>/<any(approve, reject):decision>")
@login_required
def manage_expert_decision(slug: str, expert_id: int, decision: str):
    event = managed_event_or_404(slug)
    try:
        expert = expert_of(event, expert_id)
    except NotFound:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        decide_expert(expert, current_user, decision == "approve", now=now_utc())
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            _("Expert approved.") if decision == "approve" else _("Expert rejected."),
            "success",
        )
    return redirect(url_for("challenges.manage_experts", slug=slug))
