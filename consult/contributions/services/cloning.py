"""The call for contributions' part of a clone
(consult/clone_parts.py): its guidelines, the kinds sought with their
durations, and its window moved like the event's dates. No proposals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.clone_parts import CloneJob, ClonePart, register_clone_part
from consult.contributions.models import ContributionCall
from consult.contributions.services.calls import call_for
from consult.extensions import db


def _copy_call(job: CloneJob) -> None:
    call = call_for(job.source)
    if call is None:
        return
    db.session.add(
        ContributionCall(
            event_id=job.clone.id,
            opens_at=job.shift(call.opens_at),
            closes_at=job.shift(call.closes_at),
            guidelines_md=call.guidelines_md,
            kinds={kind: list(minutes) for kind, minutes in (call.kinds or {}).items()},
            updated_at=job.now,
        )
    )


register_clone_part(
    ClonePart(
        key="contributions",
        label=_l("Call for contributions"),
        explanation=_l(
            "Its guidelines, the kinds of contribution sought and their "
            "durations, with its window moved like the dates. No proposals."
        ),
        copy=_copy_call,
        order=60,
    )
)
