"""Organiser pages for registrants: the list, decisions, moves, check-in, export."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.attempts import attempt, attempt_action
from consult.downloads import logged_download, record_download
from consult.events.access import managed_event_or_404
from consult.exports import csv_download, csv_row_count
from consult.extensions import db
from consult.forms import render_form
from consult.numbers import query_page
from consult.registration import bp
from consult.registration.forms_manage import (
    STATUS_LABELS,
    ActionForm,
    BulkForm,
    ChangeTypeForm,
    CheckInForm,
    ConfirmForm,
    RejectForm,
    UndoForm,
    WaitlistForm,
)
from consult.registration.routes.manage_helpers import (
    back_to_list,
    confirmation_page,
    country_choices,
    event_types,
    filter_form,
    list_args,
    report_outcome,
    require_valid,
)
from consult.registration.services.cancellations import pending_undo
from consult.registration.services.decision_plans import decision_plan
from consult.registration.services.decisions import decide_in_bulk
from consult.registration.services.organiser import (
    approve_registrations,
    change_stakeholder_type,
    confirm_from_waitlist,
    move_to_waitlist,
    registration_of,
    set_checked_in,
)
from consult.registration.services.organiser_export import registrants_csv
from consult.registration.services.organiser_queries import (
    registrants_page,
    stakeholder_balance,
)
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/registrations"


@bp.get(BASE)
@login_required
def manage_list(slug: str):
    event = managed_event_or_404(slug)
    types = event_types(event)
    form = filter_form(event, types)
    filters = form.to_filter()
    return render_template(
        "registration/manage/list.html",
        event=event,
        form=form,
        filters=filters,
        page=registrants_page(event, filters, page=query_page()),
        balance=stakeholder_balance(event),
        countries=dict(country_choices(event)),
        bulk_form=BulkForm(),
        status_labels=STATUS_LABELS,
        back=list_args(),
        types=types,
        undo=pending_undo(event, current_user, now=now_utc()),
        undo_form=UndoForm(),
    )


@bp.post(BASE + "/<int:registration_id>/approve")
@login_required
def manage_approve(slug: str, registration_id: int):
    event = managed_event_or_404(slug)
    require_valid(ActionForm())
    outcome = attempt_action(
        lambda: approve_registrations(
            event, [registration_id], current_user, now=now_utc()
        )
    )
    report_outcome(outcome, _("Approved."))
    return back_to_list(event)


@bp.route(BASE + "/<int:registration_id>/reject", methods=["GET", "POST"])
@login_required
def manage_reject(slug: str, registration_id: int):
    event = managed_event_or_404(slug)
    registration = registration_of(event, registration_id)
    form = RejectForm()
    if form.validate_on_submit() and (
        outcome := attempt(
            form,
            lambda: decide_in_bulk(
                event,
                [registration.id],
                current_user,
                "reject",
                form.reason.data,
                now=now_utc(),
                expected=form.fingerprint.data or None,
            ),
        )
    ):
        report_outcome(
            outcome,
            _("%(name)s is rejected and told why.", name=registration.full_name),
        )
        return back_to_list(event)
    plan = decision_plan(event, [registration], current_user, "reject")
    form.fingerprint.data = plan.fingerprint
    return render_form(
        "registration/manage/reject.html",
        form,
        event=event,
        registration=registration,
        plan=plan,
        back=list_args(),
    )


@bp.post(BASE + "/<int:registration_id>/confirm")
@login_required
def manage_confirm(slug: str, registration_id: int):
    event = managed_event_or_404(slug)
    form = require_valid(ConfirmForm())
    call = lambda: confirm_from_waitlist(  # noqa: E731
        event,
        registration_id,
        current_user,
        now=now_utc(),
        override_cap=form.override_cap.data,
    )
    if outcome := attempt_action(call):
        db.session.commit()
        flash(_("%(name)s now has a seat.", name=outcome.value.full_name), "success")
    return back_to_list(event)


@bp.route(BASE + "/<int:registration_id>/waitlist", methods=["GET", "POST"])
@login_required
def manage_waitlist(slug: str, registration_id: int):
    """One person to the waiting list: GET shows what it does, POST does it."""
    event = managed_event_or_404(slug)
    registration = registration_of(event, registration_id)
    form = WaitlistForm()
    # A POST without the plan shown (an old page) only shows the plan.
    if form.is_submitted() and form.fingerprint.data:
        require_valid(form)
        call = lambda: move_to_waitlist(  # noqa: E731
            event,
            registration.id,
            current_user,
            now=now_utc(),
            expected=form.fingerprint.data,
        )
        if outcome := attempt_action(call):
            db.session.commit()
            flash(
                _("%(name)s is on the waiting list.", name=outcome.value.full_name),
                "success",
            )
            return back_to_list(event)
    plan = decision_plan(event, [registration], current_user, "waitlist")
    return confirmation_page(event, plan, form, registration=registration)


@bp.post(BASE + "/<int:registration_id>/type")
@login_required
def manage_change_type(slug: str, registration_id: int):
    event = managed_event_or_404(slug)
    registration_of(event, registration_id)  # another event's registration: 404
    form = ChangeTypeForm()
    if not form.validate_on_submit():
        flash(_("Choose one of this event's stakeholder groups."), "error")
        return back_to_list(event)
    call = lambda: change_stakeholder_type(  # noqa: E731
        event,
        registration_id,
        current_user,
        form.type_id.data,
        now=now_utc(),
        override_cap=form.override_cap.data,
    )
    if outcome := attempt_action(call):
        db.session.commit()
        moved = outcome.value
        flash(
            _(
                "%(name)s is now in %(group)s.",
                name=moved.full_name,
                group=moved.stakeholder_type.label,
            ),
            "success",
        )
    return back_to_list(event)


@bp.post(BASE + "/<int:registration_id>/check-in")
@login_required
def manage_check_in(slug: str, registration_id: int):
    event = managed_event_or_404(slug)
    form = require_valid(CheckInForm())
    wanted = form.checked_in.data == "1"
    call = lambda: set_checked_in(  # noqa: E731
        event, registration_id, current_user, wanted, now=now_utc()
    )
    if attempt_action(call):
        db.session.commit()
    return back_to_list(event)


@bp.get("/manage/events/<slug>/registrations.csv")
@logged_download
@login_required
def manage_export(slug: str):
    event = managed_event_or_404(slug)
    filters = filter_form(event, event_types(event)).to_filter()
    text = registrants_csv(event, filters)
    # Logged as its own kind: a filtered selection, with access needs.
    record_download(event, kind="registrant_list", fmt="csv", rows=csv_row_count(text))
    return csv_download(f"{event.slug}-registrants.csv", text)
