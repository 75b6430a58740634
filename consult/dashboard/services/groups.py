"""The report's per-group figures under the small-group rule.

The consultation report leaves the organisation: no figure in it may belong
to a stakeholder group (or a country) of fewer than ``min_group_size()``
people on its own. Such groups are folded into one "Other groups (combined)"
row, with the rule of ``consult.surveys.results.privacy.hidden_groups``: while
the folded ones together stay below the threshold, the smallest shown group
is folded in too, so the total minus the shown groups never gives one back.
A combined row is therefore absent or holds at least the threshold. When
the figure's whole population is below the threshold (say 3 confirmed
registrants) no split is shown at all: the types shown as zero would give the
combined row away.

Which people count in each figure is ``consult.registration.counting``'s
rule; this module only decides which groups are shown on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from flask_babel import gettext as _

from consult.challenges.services import PriorityResults
from consult.challenges.services.priorities import TypeRow
from consult.registration.countries import country_name
from consult.shares import rounded_shares
from consult.surveys.results.privacy import hidden_groups, too_few


def other_groups() -> str:
    return _("Other groups (combined)")


@dataclass(frozen=True)
class BalanceRow:
    label: str
    confirmed: int
    share: Decimal | None  # of all confirmed, as shown (adding to 100)
    target: int  # the type's target share; a combined row's is the sum
    combined: bool = False
    below_target: bool = False


@dataclass(frozen=True)
class GroupBalance:
    rows: list[BalanceRow]
    confirmed: int
    folded: list[str] = field(default_factory=list)  # types in the combined row
    # Of those, the ones not below the threshold, folded only so that the
    # smaller ones cannot be worked out from the totals.
    larger: list[str] = field(default_factory=list)

    @property
    def small(self) -> list[str]:
        return [label for label in self.folded if label not in self.larger]

    @property
    def below_target(self) -> list[BalanceRow]:
        return [row for row in self.rows if row.below_target]


def group_balance(balance) -> GroupBalance:
    """The stakeholder balance with small types folded into one row (no rows
    when fewer than the threshold are confirmed in all)."""
    if too_few(balance.confirmed):
        return GroupBalance([], balance.confirmed)
    counts = {row.stakeholder_type.id: row.confirmed for row in balance.types}
    hidden = hidden_groups(counts)
    shown = [row for row in balance.types if row.stakeholder_type.id not in hidden]
    folded = [row for row in balance.types if row.stakeholder_type.id in hidden]
    rows = [
        BalanceRow(
            row.stakeholder_type.label,
            row.confirmed,
            None,
            row.stakeholder_type.target_share,
            below_target=row.under_represented,
        )
        for row in shown
    ]
    if folded:
        rows.append(
            BalanceRow(
                other_groups(),
                sum(row.confirmed for row in folded),
                None,
                sum(row.stakeholder_type.target_share for row in folded),
                combined=True,
            )
        )
    if balance.confirmed:
        shares = rounded_shares([row.confirmed for row in rows])
        rows = [
            replace(row, share=share) for row, share in zip(rows, shares, strict=True)
        ]
    return GroupBalance(
        rows,
        balance.confirmed,
        [row.stakeholder_type.label for row in folded],
        [row.stakeholder_type.label for row in folded if not too_few(row.confirmed)],
    )


@dataclass(frozen=True)
class CountRow:
    label: str
    n: int
    combined: bool = False


def group_countries(countries: list[tuple[str, int]]) -> list[CountRow]:
    """Countries (most first) with the small ones folded into one last row
    (none when fewer than the threshold in all)."""
    counts = dict(countries)
    if too_few(sum(counts.values())):
        return []
    hidden = hidden_groups(counts)
    rows = [
        CountRow(country_name(code) if code else _("Not given"), n)
        for code, n in countries
        if code not in hidden
    ]
    rest = sum(counts[code] for code in hidden)
    if rest:
        rows.append(CountRow(_("Other countries (combined)"), rest, combined=True))
    return rows


@dataclass(frozen=True)
class AttendanceRow:
    label: str
    confirmed: int  # the attendance base (``counting.attendee_base``)
    attended: int
    combined: bool = False

    @property
    def rate(self) -> float | None:
        return self.attended / self.confirmed if self.confirmed else None


def group_attendance(balance, attendance: dict) -> list[AttendanceRow]:
    """Attendance per type (types in the balance's order), small ones folded."""
    rows = [
        (row.stakeholder_type.id, row.stakeholder_type.label,
         attendance.get(row.stakeholder_type.id))
        for row in balance.types
    ]  # fmt: skip
    counts = {key: a.confirmed if a else 0 for key, _l, a in rows}
    if too_few(sum(counts.values())):
        return []
    hidden = hidden_groups(counts)
    out = [
        AttendanceRow(label, a.confirmed if a else 0, a.attended if a else 0)
        for key, label, a in rows
        if key not in hidden
    ]
    folded = [a for key, _l, a in rows if key in hidden and a]
    if folded:
        out.append(
            AttendanceRow(
                other_groups(),
                sum(a.confirmed for a in folded),
                sum(a.attended for a in folded),
                combined=True,
            )
        )
    return out


def group_priorities(results: PriorityResults) -> PriorityResults:
    """The priorities with the small types' ballots in one combined row.

    The overall figures are unchanged; ``by_type`` (empty below the
    threshold of ballots in all) keeps the types shown on
    their own (those without ballots too: they reveal nothing), then the
    combined row (``type_id`` None) if any; the spread compares only the
    types shown on their own, the combined row being no group.
    """
    if too_few(results.ballots):
        return replace(
            results, by_type=[], spread={c.id: 0.0 for c in results.challenges}
        )
    ballots = {row.type_id: row.ballots for row in results.by_type}
    hidden = hidden_groups(ballots)
    shown = [row for row in results.by_type if row.type_id not in hidden]
    folded = [row for row in results.by_type if row.type_id in hidden]
    rows = list(shown)
    if folded:
        scores: dict[int, int] = {}
        for row in folded:
            for cid, points in row.scores.items():
                scores[cid] = scores.get(cid, 0) + points
        total = sum(scores.values())
        rows.append(
            TypeRow(
                None,
                other_groups(),
                sum(row.ballots for row in folded),
                scores,
                {cid: (p / total if total else 0.0) for cid, p in scores.items()},
            )
        )
    voting = [row for row in shown if row.ballots]
    spread = {}
    for c in results.challenges:
        shares = [row.shares.get(c.id, 0.0) for row in voting]
        spread[c.id] = (max(shares) - min(shares)) if len(shares) > 1 else 0.0
    return replace(results, by_type=rows, spread=spread)


@dataclass(frozen=True)
class ChannelRow:
    label: str
    counts: dict[str, int]  # participants per channel (queries.PARTICIPATION_CHANNELS)
    combined: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def group_channels(balance, channels: dict[int, dict[str, int]]) -> list[ChannelRow]:
    """How many took part through each channel per type (types in the
    balance's order), small types folded like the balance's (none when fewer
    than the threshold in all)."""
    rows = [
        (row.stakeholder_type.id, row.stakeholder_type.label,
         channels.get(row.stakeholder_type.id, {}))
        for row in balance.types
    ]  # fmt: skip
    totals = {key: sum(counts.values()) for key, _l, counts in rows}
    if too_few(sum(totals.values())):
        return []
    hidden = hidden_groups(totals)
    out = [
        ChannelRow(label, counts) for key, label, counts in rows if key not in hidden
    ]
    folded: dict[str, int] = {}
    for key, _l, counts in rows:
        if key in hidden:
            for channel, n in counts.items():
                folded[channel] = folded.get(channel, 0) + n
    if folded:
        out.append(ChannelRow(other_groups(), folded, combined=True))
    return out
