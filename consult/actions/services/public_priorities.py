"""What each stakeholder group asked for, per challenge, on the public plan.

The figures are the consultation's own (``challenges.services.priority_results``)
under the report's small-group rule (``dashboard.services.groups.group_priorities``):
no group below the threshold of ballots is shown on its own (the small ones are
combined, and one more while the combined row would stay small), and nothing
at all while the consultation has fewer ballots than the threshold.

Only consultations whose results their organisers have published show their
priorities here: the plan is edited by others too (the city's
representative), and publishing an action must not publish a consultation's
results before its organisers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from consult.challenges.charts import overall_shares, type_shares
from consult.challenges.models import Challenge
from consult.challenges.services import priority_results
from consult.dashboard.services.dashboard import publication_of
from consult.dashboard.services.groups import group_priorities
from consult.events.models import Event
from consult.surveys.results.privacy import min_group_size, too_few

# Why a challenge shows no figures: its consultation's results are not
# public, too few people gave priorities, or the challenge was archived
# before the results (it is then in no ranking).
SHOWN, UNPUBLISHED, TOO_FEW, NO_BALLOTS, NOT_RANKED = (
    "shown",
    "unpublished",
    "too_few",
    "no_ballots",
    "not_ranked",
)


@dataclass(frozen=True)
class GroupPriority:
    """One stakeholder group's (or the combined small groups') view of a challenge."""

    label: str
    ballots: int
    share: Decimal  # of the group's points, whole percent (a row adds to 100)
    rank: int  # 1: the group's first priority (ties share a rank)
    combined: bool = False


@dataclass
class ChallengePriorities:
    event: Event
    state: str
    threshold: int
    challenges: int = 0  # how many the consultation ranked
    overall_share: Decimal | None = None
    overall_rank: int | None = None
    ballots: int = 0
    groups: list[GroupPriority] = field(default_factory=list)


def _rank(scores: dict[int, int], challenge_id: int) -> int:
    mine = scores.get(challenge_id, 0)
    return 1 + sum(1 for points in scores.values() if points > mine)


def _event_priorities(event: Event, challenges: list[Challenge]) -> dict:
    threshold = min_group_size()
    if publication_of(event) is None:
        return {
            c.id: ChallengePriorities(event, UNPUBLISHED, threshold) for c in challenges
        }
    results = priority_results(event)
    if not results.ballots or too_few(results.ballots):
        state = TOO_FEW if results.ballots else NO_BALLOTS
        return {
            c.id: ChallengePriorities(event, state, threshold, ballots=results.ballots)
            for c in challenges
        }
    grouped = group_priorities(results)
    ranked = {c.id for c in results.challenges}
    overall = overall_shares(results, places=0)
    rows = [row for row in grouped.by_type if row.ballots]
    shares = {id(row): type_shares(grouped, row, places=0) for row in rows}
    out = {}
    for c in challenges:
        if c.id not in ranked:
            out[c.id] = ChallengePriorities(event, NOT_RANKED, threshold)
            continue
        out[c.id] = ChallengePriorities(
            event,
            SHOWN,
            threshold,
            challenges=len(results.challenges),
            overall_share=overall[c.id],
            overall_rank=_rank(results.overall, c.id),
            ballots=results.ballots,
            groups=[
                GroupPriority(
                    row.label,
                    row.ballots,
                    shares[id(row)][c.id],
                    _rank({cid: row.scores.get(cid, 0) for cid in ranked}, c.id),
                    combined=row.type_id is None,
                )
                for row in rows
            ],
        )
    return out


def challenge_priorities(challenges: list[Challenge]) -> dict[int, ChallengePriorities]:
    """Challenge id -> the priorities its consultation's groups gave it (one
    computation per event; challenges of draft events are left out)."""
    by_event: dict[int, list[Challenge]] = {}
    events: dict[int, Event] = {}
    for challenge in challenges:
        if challenge.event is None or challenge.event.is_draft:
            continue
        by_event.setdefault(challenge.event_id, []).append(challenge)
        events[challenge.event_id] = challenge.event
    out: dict[int, ChallengePriorities] = {}
    for event_id, group in by_event.items():
        out.update(_event_priorities(events[event_id], group))
    return out
