"""An organiser's decision on several registrants: planned, confirmed, done.

``plan_decision`` counts what a decision will do (the confirmation page);
``decide_in_bulk`` does it, refusing when the plan is no longer the one the
organiser confirmed (its fingerprint, ``decision_plans.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _

from consult.errors import ValidationFailed
from consult.events.access import require_manager
from consult.events.models import Event
from consult.registration.services.cancellations import cancel_with_undo
from consult.registration.services.decision_plans import (
    BULK_DECISIONS,
    DecisionPlan,
    check_unchanged,
    decision_plan,
)
from consult.registration.services.organiser import (
    BulkOutcome,
    approve_registrations,
    check_in_registrations,
    registrations_of,
    reject_registrations,
)
from consult.text import clean_text


def plan_decision(
    event: Event, ids: Iterable[int], actor, decision: str, reason: str = ""
) -> DecisionPlan:
    """What ``decision`` on these registrations of ``event`` would do; a
    rejection needs its reason first."""
    require_manager(actor, event)
    if decision not in BULK_DECISIONS:
        raise ValidationFailed(
            _("Choose approve, reject, cancel or check in."), field="decision"
        )
    if decision == "reject":
        clean_text(reason, "reason", max_length=1000, required=True)
    return decision_plan(event, registrations_of(event, ids), actor, decision)


def decide_in_bulk(
    event: Event,
    ids: Iterable[int],
    actor,
    decision: str,
    reason: str = "",
    *,
    now: datetime,
    expected: str | None = None,
) -> BulkOutcome:
    """Approve, reject, cancel or check in the selected registrations;
    ``expected``: the fingerprint of the plan the organiser confirmed."""
    ids = list(ids)
    if decision == "cancel":
        return cancel_with_undo(event, ids, actor, now=now, expected=expected)
    check_unchanged(plan_decision(event, ids, actor, decision, reason), expected)
    if decision == "approve":
        return approve_registrations(event, ids, actor, now=now)
    if decision == "reject":
        return reject_registrations(event, ids, actor, reason, now=now)
    return check_in_registrations(event, ids, actor, now=now)
