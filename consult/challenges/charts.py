"""The priorities charts, built with consult.charts (server-side SVG)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from consult.charts import Chart, bar_chart, grouped_bar_chart
from consult.shares import exact_percent, rounded_shares


def type_shares(results, row, *, places: int) -> dict[int, Decimal]:
    """A type's shares of its points per challenge, adding to 100 (largest
    remainder over its scores, in decimals)."""
    ids = [c.id for c in results.challenges]
    shares = rounded_shares([row.scores.get(cid, 0) for cid in ids], places)
    return dict(zip(ids, shares, strict=True))


def overall_shares(results, *, places: int) -> dict[int, Decimal]:
    """The challenges' shares of all points, adding to 100."""
    ids = [c.id for c in results.challenges]
    shares = rounded_shares([results.overall.get(cid, 0) for cid in ids], places)
    return dict(zip(ids, shares, strict=True))


def spreads_shown(results) -> dict[int, Decimal]:
    """Each challenge's spread between the voting types in whole percentage
    points, from the exact shares of their points (half up, no float)."""
    shares = []
    for row in results.by_type:
        total = sum(row.scores.get(c.id, 0) for c in results.challenges)
        if row.ballots and total:
            shares.append({c.id: Fraction(row.scores.get(c.id, 0), total)
                           for c in results.challenges})  # fmt: skip
    return {
        c.id: exact_percent(max(s[c.id] for s in shares) - min(s[c.id] for s in shares))
        if len(shares) > 1
        else Decimal(0)
        for c in results.challenges
    }


@dataclass
class PriorityTable:
    """The organiser's table of points, as shown: shares adding to 100."""

    overall: dict[int, Decimal]
    by_type: dict[int, dict[int, Decimal]]  # type id -> challenge id -> share
    spread: dict[int, Decimal]


def priority_table(results) -> PriorityTable:
    return PriorityTable(
        overall=overall_shares(results, places=0),
        by_type={
            row.type_id: type_shares(results, row, places=0)
            for row in results.by_type
            if row.ballots
        },
        spread=spreads_shown(results),
    )


def _columns(results, rows, *, places: int) -> list[list[float]]:
    """[challenge][type] shares for a grouped chart."""
    per_type = [type_shares(results, row, places=places) for row in rows]
    return [[float(shares[c.id]) for shares in per_type] for c in results.challenges]


def ballots_label(row) -> str:
    """A type's series label with its number of ballots."""
    return _("%(label)s (n = %(n)d)", label=row.label, n=row.ballots)


def priority_charts(results, *, series_label=ballots_label) -> dict[str, Chart]:
    """Overall points, shares per stakeholder type, and the spread between types.

    Each type's series says its n (``series_label`` of its row)."""
    titles = [c.title for c in results.challenges]
    voting = [row for row in results.by_type if row.ballots]
    overall = bar_chart(
        _("Points per challenge, all stakeholder types"),
        [(c.title, results.overall.get(c.id, 0)) for c in results.challenges],
        value_label=_("Points") if results.method == "points" else _("Rank score"),
        chart_id="priorities-overall",
    )
    by_type = grouped_bar_chart(
        _("Share of each stakeholder type's points per challenge"),
        titles,
        [series_label(row) for row in voting],
        _columns(results, voting, places=0),
        value_label=_("Share of the type's points (%)"),
        max_value=100,
        decimals=0,
        chart_id="priorities-by-type",
    )
    disputed = results.most_disputed
    shown = spreads_shown(results)
    spread = bar_chart(
        _("Where the stakeholder types disagree most"),
        [(c.title, float(shown[c.id])) for c in disputed],
        description=_(
            "For each challenge, the highest minus the lowest share of points "
            "between stakeholder types, in percentage points."
        ),
        value_label=_("Spread (percentage points)"),
        decimals=0,
        chart_id="priorities-spread",
    )
    return {"overall": overall, "by_type": by_type, "spread": spread}
