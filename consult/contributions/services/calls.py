"""The call for contributions of an event: window, guidelines, kinds sought."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.contributions.models import KINDS, ContributionCall
from consult.errors import Problems, ValidationFailed
from consult.events.access import require_manager
from consult.extensions import db
from consult.numbers import parse_int
from consult.text import clean_text
from consult.timeutil import to_utc

KIND_LABELS = {
    "best_practice": _l("Best-practice presentation"),
    "case_study": _l("Case study"),
    "panel_statement": _l("Panel statement"),
}
MAX_DURATION = 180


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@dataclass
class CallData:
    opens_at: datetime | None
    closes_at: datetime | None
    guidelines: str = ""
    # kind -> allowed durations (minutes), or as typed ("10, 15"); empty =
    # kind not sought
    kinds: dict[str, list[int] | str] = field(default_factory=dict)


def call_for(event) -> ContributionCall | None:
    """The event's call, or None when the organisers have not set one up."""
    return db.session.scalar(
        select(ContributionCall).where(ContributionCall.event_id == event.id)
    )


def parse_durations(raw: str, field_name: str) -> list[int]:
    """'10, 15' -> [10, 15]; ValidationFailed for anything but whole minutes."""
    values = []
    for part in (raw or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        minutes = parse_int(part, low=1, high=MAX_DURATION)
        if minutes is None:
            raise ValidationFailed(
                _(
                    "Give durations in whole minutes from 1 to %(n)d, separated "
                    "by commas.",
                    n=MAX_DURATION,
                ),
                field=field_name,
            )
        values.append(minutes)
    return sorted(set(values))


def update_call(event, actor, data: CallData, *, now: datetime) -> ContributionCall:
    """Create or change the event's call for contributions; every problem
    with ``data`` is refused together."""
    require_manager(actor, event)
    values = _checked_call(event, data)
    call = call_for(event)
    if call is None:
        call = ContributionCall(event_id=event.id)
        db.session.add(call)
    for key, value in values.items():
        setattr(call, key, value)
    call.updated_at = now
    db.session.flush()
    return call


def check_call(event, data: CallData) -> None:
    """Every problem with a call's settings, raised together; nothing written."""
    _checked_call(event, data)


def _checked_call(event, data: CallData) -> dict:
    """The call's column values, or ValidationFailed with every problem."""
    problems = Problems()
    opens_at = problems.take(to_utc, data.opens_at, event.timezone, "opens_at")
    closes_at = problems.take(
        to_utc, data.closes_at, event.timezone, "closes_at", required=True
    )
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        problems.add(_("The call must close after it opens."), "closes_at")
    guidelines = problems.take(
        clean_text, data.guidelines, "guidelines", max_length=10000
    )
    kinds = {}
    for kind in KINDS:
        durations = problems.take(_durations, data.kinds.get(kind, []), kind)
        if durations:
            kinds[kind] = durations
    if not kinds and not any(problems.has(kind) for kind in KINDS):
        problems.add(
            _("Seek at least one kind of contribution (give its durations)."),
            "best_practice",
        )
    problems.raise_any()
    return {
        "opens_at": opens_at,
        "closes_at": closes_at,
        "guidelines_md": guidelines,
        "kinds": kinds,
    }


def _durations(given: list[int] | str, kind: str) -> list[int]:
    """A kind's durations, typed ("10, 15") or as numbers, sorted."""
    if isinstance(given, str):
        return parse_durations(given, kind)
    durations = sorted({int(d) for d in given})
    if any(not 1 <= d <= MAX_DURATION for d in durations):
        raise ValidationFailed(_("Durations run from 1 to 180 minutes."), kind)
    return durations


def call_open(call: ContributionCall | None, now: datetime) -> bool:
    """True while proposals may be submitted and edited."""
    if call is None or call.event.is_cancelled:
        return False
    if call.opens_at is not None and now < call.opens_at:
        return False
    return now < call.closes_at
