"""Organiser decisions that change seats or tell people: confirmed first, on a
page that says what follows in numbers (works without JavaScript), and a
cancellation that can be undone for a few minutes."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.attempts import attempt_action
from consult.events.access import managed_event_or_404
from consult.extensions import db
from consult.registration import bp
from consult.registration.forms_manage import BulkForm, CancelForm, UndoForm
from consult.registration.routes.manage_helpers import (
    back_to_list,
    confirmation_page,
    event_types,
    filter_form,
    report_outcome,
    report_skipped,
    require_valid,
    some_names,
)
from consult.registration.services.cancellations import (
    cancel_with_undo,
    undo_cancellations,
)
from consult.registration.services.decision_plans import (
    CONFIRMED_FIRST,
    decision_plan,
)
from consult.registration.services.decisions import decide_in_bulk, plan_decision
from consult.registration.services.organiser import registration_of
from consult.registration.services.organiser_queries import matching_ids
from consult.timeutil import now_utc

BASE = "/manage/events/<slug>/registrations"


@bp.post(BASE + "/bulk")
@login_required
def manage_bulk(slug: str):
    """Every bulk action goes through here: on the ticked people, or on all
    the list's filters match (sent in the query string), on every page.
    Approving, rejecting and cancelling show their confirmation page first."""
    event = managed_event_or_404(slug)
    form = require_valid(BulkForm())
    ids = _selection(event, form)
    decision, reason = form.decision.data, form.reason.data or ""
    planned = ids and attempt_action(
        lambda: plan_decision(event, ids, current_user, decision, reason)
    )
    if not planned:
        return back_to_list(event)
    plan = planned.value
    shown = form.fingerprint.data or None
    if decision not in CONFIRMED_FIRST or (form.confirm.data and shown):
        outcome = attempt_action(
            lambda: decide_in_bulk(
                event,
                ids,
                current_user,
                decision,
                reason,
                now=now_utc(),
                expected=shown,
            )
        )
        if outcome or decision not in CONFIRMED_FIRST:
            report_outcome(outcome, _cancelled(outcome))
            return back_to_list(event)
        plan = plan_decision(event, ids, current_user, decision, reason)
    return confirmation_page(event, plan, form, ids=ids)


@bp.route(BASE + "/<int:registration_id>/cancel", methods=["GET", "POST"])
@login_required
def manage_cancel(slug: str, registration_id: int):
    """One person's cancellation: GET shows what it does, POST does it."""
    event = managed_event_or_404(slug)
    registration = registration_of(event, registration_id)
    form = CancelForm()
    # A POST without the plan shown (an old page) only shows the plan.
    if form.is_submitted() and form.fingerprint.data:
        require_valid(form)
        outcome = attempt_action(
            lambda: cancel_with_undo(
                event,
                [registration.id],
                current_user,
                now=now_utc(),
                expected=form.fingerprint.data,
            )
        )
        if outcome:
            report_outcome(outcome, _cancelled(outcome))
            return back_to_list(event)
    plan = decision_plan(event, [registration], current_user, "cancel")
    return confirmation_page(event, plan, form, registration=registration)


@bp.post(BASE + "/undo")
@login_required
def manage_undo(slug: str):
    """Undo the cancellation named by its batch, within its window."""
    event = managed_event_or_404(slug)
    form = require_valid(UndoForm())
    outcome = attempt_action(
        lambda: undo_cancellations(event, form.batch.data, current_user, now=now_utc())
    )
    if outcome:
        db.session.commit()
        _report_undo(outcome.value)
    return back_to_list(event)


def _selection(event, form) -> list[int] | None:
    """The ids a bulk action is for, or None (said why) when there are none
    or the filtered list changed since the organiser saw its count."""
    if form.scope.data != "all":
        if not form.ids.data:
            flash(_("Tick the people first."), "warning")
            return None
        return form.ids.data
    ids = matching_ids(event, filter_form(event, event_types(event)).to_filter())
    # "All" means the people the organiser saw counted: a count missing or
    # changed since (someone registered, a filter no longer applies) stops it.
    if form.matching.data != len(ids):
        flash(
            ngettext(
                "The list changed: %(num)d registrant matches now. "
                "Nothing was done; check the list and apply again.",
                "The list changed: %(num)d registrants match now. "
                "Nothing was done; check the list and apply again.",
                len(ids),
            ),
            "warning",
        )
        return None
    if not ids:
        flash(_("Nobody matches these filters."), "warning")
        return None
    return ids


def _cancelled(outcome) -> str | None:
    """The message after a cancellation, naming the undo; None for others."""
    result = outcome.value if outcome else None
    if not getattr(result, "batch", "") or not result.plan.undo_minutes:
        return None
    return ngettext(
        "Cancelled %(num)d registration. You can undo it for %(minutes)d minutes.",
        "Cancelled %(num)d registrations. You can undo it for %(minutes)d minutes.",
        len(result.done),
        minutes=result.plan.undo_minutes,
    )


def _report_undo(result) -> None:
    if result.restored:
        flash(
            ngettext(
                "Undone: %(names)s is back as before, and gets no email.",
                "Undone: %(names)s are back as before, and get no email.",
                len(result.restored),
                names=some_names([r.full_name for r in result.restored]),
            ),
            "success",
        )
    if result.waitlisted:
        flash(
            ngettext(
                "%(names)s is on the waiting list instead: their seat went to "
                "someone else meanwhile. We email them their place.",
                "%(names)s are on the waiting list instead: their seats went to "
                "others meanwhile. We email them their places.",
                len(result.waitlisted),
                names=some_names([r.full_name for r in result.waitlisted]),
            ),
            "warning",
        )
    report_skipped(result.skipped)
