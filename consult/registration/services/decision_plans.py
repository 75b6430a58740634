"""What a decision on registrants will do, counted before it is done.

The confirmation page shows a plan; the action computes the same plan again
and acts on its people, so the numbers shown and the change made come from
one place. A plan's ``fingerprint`` binds a confirmation to what was shown:
when the people or their statuses changed in between, the action refuses
(``check_unchanged``) and the page shows the new plan instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.errors import Conflict
from consult.events.access import require_manager
from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import Registration

# Each decision: the statuses it acts on, and what the others are told.
DECISIONS: dict[str, tuple[tuple[str, ...], Callable[[], str]]] = {
    "approve": (
        ("pending",),
        lambda: _("only pending registrations can be approved"),
    ),
    "reject": (
        ("pending", "waitlisted"),
        lambda: _("only pending or waitlisted registrations can be rejected"),
    ),
    "cancel": (
        ("pending", "waitlisted", "confirmed"),
        lambda: _("this registration is already closed"),
    ),
    "check_in": (
        ("confirmed",),
        lambda: _("only confirmed people can be checked in"),
    ),
    # One person at a time, from their row's menu (organiser.move_to_waitlist).
    "waitlist": (
        ("confirmed",),
        lambda: _("only confirmed people can be moved to the waiting list"),
    ),
}
# The decisions the list's bulk form offers.
BULK_DECISIONS = ("approve", "reject", "cancel", "check_in")
# Decisions that change a seat or tell people, so they are confirmed first.
CONFIRMED_FIRST = ("approve", "reject", "cancel", "waitlist")


@dataclass
class DecisionPlan:
    """Who a decision acts on, who it leaves, and what follows, in numbers."""

    decision: str
    acting_on: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)
    # People told by email, by SMS, and without either (told by the organiser).
    emailed: int = 0
    texted: int = 0
    unreachable: int = 0
    # Seats given back (cancelling or moving confirmed people to the waiting
    # list) and people waiting for one (a move to the list: ahead of them).
    seats_freed: int = 0
    waiting: int = 0
    undo_seconds: int = 0

    @property
    def fingerprint(self) -> str:
        """A digest of the people acted on and their statuses."""
        parts = [self.decision] + [
            f"{r.id}:{r.status}:{int(r.checked_in_at is not None)}"
            for r in self.acting_on
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    @property
    def undo_minutes(self) -> int:
        """The window in whole minutes, never overstated (0: no undo)."""
        if not self.undo_seconds:
            return 0
        return max(1, self.undo_seconds // 60)


def undo_seconds() -> int:
    """How long an organiser's cancellation may be undone (CANCEL_UNDO_SECONDS)."""
    return max(0, int(current_app.config.get("CANCEL_UNDO_SECONDS", 300)))


def decision_plan(
    event: Event, registrations: Iterable[Registration], actor, decision: str
) -> DecisionPlan:
    """The plan of ``decision`` on these registrations of ``event``."""
    require_manager(actor, event)
    if decision not in DECISIONS:
        raise Conflict(_("Choose approve, reject, cancel or check in."))
    allowed, refusal = DECISIONS[decision]
    plan = DecisionPlan(decision=decision)
    for registration in registrations:
        if decision == "check_in" and registration.checked_in_at is not None:
            plan.skipped.append((registration, _("already checked in")))
        elif registration.status not in allowed:
            plan.skipped.append((registration, refusal()))
        else:
            plan.acting_on.append(registration)
    if decision != "check_in":
        for registration in plan.acting_on:
            _count_reach(plan, registration)
    if decision in ("cancel", "waitlist"):
        plan.seats_freed = sum(r.status == "confirmed" for r in plan.acting_on)
    if decision == "cancel":
        plan.undo_seconds = undo_seconds()
    if decision in ("cancel", "approve", "waitlist"):
        db.session.refresh(event, ["waiting_count"])
        plan.waiting = event.waiting_count - sum(
            r.status == "waitlisted" for r in plan.acting_on
        )
    return plan


def _count_reach(plan: DecisionPlan, registration: Registration) -> None:
    if registration.email and registration.erased_at is None:
        plan.emailed += 1
    elif not registration.sms_allowed:
        plan.unreachable += 1
    if registration.sms_allowed:
        plan.texted += 1


def check_unchanged(plan: DecisionPlan, expected: str | None) -> None:
    """Refuse when the plan is no longer the one the organiser confirmed."""
    if expected is not None and expected != plan.fingerprint:
        raise Conflict(
            ngettext(
                "The selection changed since you confirmed: it now concerns "
                "%(num)d person. Nothing was done; check and confirm again.",
                "The selection changed since you confirmed: it now concerns "
                "%(num)d people. Nothing was done; check and confirm again.",
                len(plan.acting_on),
            )
        )
