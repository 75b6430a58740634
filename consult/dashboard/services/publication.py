"""The public results page: published by an organiser, aggregate figures only.

No personal data and no group smaller than ``min_group_size()``: stakeholder
types and countries below it are folded into "other", and one more group is
folded in while the folded ones together stay below it (otherwise the total
minus the shown groups would give the small ones back). Inputs appear only
when selected for the action plan, named only with their author's consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.challenges.models import Challenge, Input
from consult.challenges.services import PriorityResults, priority_results
from consult.dashboard.models import ResultsPublication
from consult.dashboard.services import queries
from consult.dashboard.services.dashboard import publication_of
from consult.errors import Conflict, ValidationFailed
from consult.events.models import Event
from consult.extensions import db
from consult.registration.countries import country_name
from consult.registration.services.organiser_queries import stakeholder_balance
from consult.surveys.results import hidden_groups, min_group_size

NOTE_MAX = 5000


def publish_results(
    event: Event, actor, *, note: str, now: datetime
) -> ResultsPublication:
    """Open (or update) the event's public results page; flushes."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            _("Keep the note under %(n)d characters.", n=NOTE_MAX), "note"
        )
    if event.is_draft:
        raise Conflict(_("Publish the event before its results."))
    actor_id = actor.id
    # Two organisers publishing at once: the second waits for the first and
    # then updates its row instead of failing on the unique event_id.
    # NO KEY: like the seat lock, it does not block rows that reference the event.
    db.session.execute(
        select(Event.id).where(Event.id == event.id).with_for_update(key_share=True)
    )
    row = publication_of(event)
    if row is None:
        row = ResultsPublication(event_id=event.id, published_at=now)
    row.note = note
    row.published_by_id = actor_id
    row.updated_at = now
    db.session.add(row)
    db.session.flush()
    return row


def unpublish_results(event: Event) -> bool:
    """Take the public results page down; True if it was up. Flushes."""
    result = db.session.execute(
        delete(ResultsPublication).where(ResultsPublication.event_id == event.id)
    )
    db.session.flush()
    return bool(result.rowcount)


@dataclass(frozen=True)
class Share:
    label: str
    count: int


@dataclass
class PublicSummary:
    event: Event
    publication: ResultsPublication
    participants: int
    organisations: int
    countries_count: int
    types: list[Share]  # visible stakeholder types, then "Other groups"
    countries: list[Share]
    inputs: int
    ballots: int
    priorities: PriorityResults | None  # None below min_group_size() ballots
    priority_types: list  # TypeRow of the types shown separately
    selected: list[tuple[Challenge | None, list[Input]]]
    min_group: int = field(default_factory=min_group_size)


def fold_small(counts: dict, labels: dict, other: str) -> list[Share]:
    """Groups of at least min_group_size() by label, the rest summed as ``other``."""
    hidden = hidden_groups(counts)
    shown = [
        Share(labels[key], n) for key, n in counts.items() if n and key not in hidden
    ]
    shown.sort(key=lambda share: -share.count)
    rest = sum(counts[key] for key in hidden)
    if rest:
        shown.append(Share(other, rest))
    return shown


def public_summary(event: Event) -> PublicSummary | None:
    """The published results of an event, or None while unpublished."""
    publication = publication_of(event)
    if publication is None:
        return None
    balance = stakeholder_balance(event)
    by_type = {row.stakeholder_type.id: row.confirmed for row in balance.types}
    type_labels = {row.stakeholder_type.id: row.stakeholder_type.label
                   for row in balance.types}  # fmt: skip
    countries = dict(queries.countries(event))
    priorities = priority_results(event)
    ballots = {row.type_id: row.ballots for row in priorities.by_type}
    hidden_ballots = hidden_groups(ballots)
    items = [item for item, _n in queries.plan_inputs(event) if item.selected_for_plan]
    return PublicSummary(
        event=event,
        publication=publication,
        participants=balance.confirmed,
        organisations=queries.organisation_count(event),
        countries_count=len([c for c in countries if c]),
        types=fold_small(by_type, type_labels, _("Other groups (combined)")),
        countries=fold_small(
            countries,
            {code: country_name(code) or _("Not given") for code in countries},
            _("Other countries (combined)"),
        ),
        inputs=queries.input_states(queries.input_counts(event)).get("published", 0),
        ballots=priorities.ballots,
        priorities=priorities if priorities.ballots >= min_group_size() else None,
        priority_types=[
            row
            for row in priorities.by_type
            if row.ballots and row.type_id not in hidden_ballots
        ],
        selected=_by_challenge(priorities.challenges, items),
    )


def _by_challenge(challenges, items) -> list[tuple[Challenge | None, list[Input]]]:
    groups: dict[int | None, list[Input]] = {}
    known = {c.id for c in challenges}
    for item in items:
        key = item.challenge_id if item.challenge_id in known else None
        groups.setdefault(key, []).append(item)
    out = [(c, groups[c.id]) for c in challenges if c.id in groups]
    if None in groups:
        out.append((None, groups[None]))
    return out
