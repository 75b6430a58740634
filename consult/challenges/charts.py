"""The priorities charts, built with consult.charts (server-side SVG)."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.charts import Chart, bar_chart, grouped_bar_chart


def priority_charts(results) -> dict[str, Chart]:
    """Overall points, shares per stakeholder type, and the spread between types."""
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
        [row.label for row in voting],
        [
            [round(100 * row.shares.get(c.id, 0.0)) for row in voting]
            for c in results.challenges
        ],
        value_label=_("% of the type's points"),
        max_value=100,
        decimals=0,
        chart_id="priorities-by-type",
    )
    disputed = results.most_disputed
    spread = bar_chart(
        _("Where the stakeholder types disagree most"),
        [(c.title, round(100 * results.spread.get(c.id, 0.0))) for c in disputed],
        description=_(
            "For each challenge, the highest minus the lowest share of points "
            "between stakeholder types, in percentage points."
        ),
        value_label=_("Spread (percentage points)"),
        decimals=0,
        chart_id="priorities-spread",
    )
    return {"overall": overall, "by_type": by_type, "spread": spread}
