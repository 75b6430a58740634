"""The dashboard's and the report's charts, built with consult.charts (SVG)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from flask_babel import gettext as _

from consult.challenges.charts import priority_charts
from consult.challenges.labels import KIND_LABELS
from consult.challenges.models import INPUT_KINDS
from consult.charts import Chart, bar_chart, grouped_bar_chart, time_chart
from consult.registration.countries import country_name
from consult.shares import percent
from consult.surveys.results.privacy import group_label

TOP_COUNTRIES = 15


def country_label(code: str) -> str:
    return country_name(code) if code else _("Not given")


def registrations_chart(by_day) -> Chart:
    return time_chart(
        _("New registrations per day"),
        by_day,
        value_label=_("Registrations"),
        x_label=_("Day (event time zone)"),
        chart_id="registrations-per-day",
    )


def balance_chart(balance) -> Chart:
    """The dashboard's balance: every type, small ones marked with their n."""
    rows = balance.types
    shown = balance.shown_shares(places=1)
    return grouped_bar_chart(
        _("Share of confirmed seats against the target, per stakeholder type"),
        [
            group_label(row.stakeholder_type.label, row.confirmed, mark_small=True)
            for row in rows
        ],  # fmt: skip
        [_("Share of confirmed"), _("Target share")],
        [
            [
                float(shown.get(row.stakeholder_type.id, 0)),
                row.stakeholder_type.target_share,
            ]
            for row in rows
        ],
        value_label=_("Share of confirmed seats (%)"),
        max_value=100,
        chart_id="stakeholder-balance",
    )


def countries_chart(countries, *, title: str | None = None) -> Chart:
    top = countries[:TOP_COUNTRIES]
    items = [(country_label(code), n) for code, n in top]
    rest = sum(n for _c, n in countries[TOP_COUNTRIES:])
    if rest:
        items.append((_("Other countries"), rest))
    return bar_chart(
        title or _("Confirmed registrants by country"),
        items,
        value_label=_("Confirmed registrants"),
        chart_id="countries",
    )


def attendance_chart(balance, attendance) -> Chart:
    """The dashboard's attendance: every type, small ones marked with their n."""
    items, texts = [], []
    for row in balance.types:
        counts = attendance.get(row.stakeholder_type.id)
        attended = counts.attended if counts else 0
        confirmed = counts.confirmed if counts else 0
        label = group_label(row.stakeholder_type.label, confirmed, mark_small=True)
        # Decimal from the counts, half up (never a float product).
        items.append((label, float(percent(attended, confirmed, 1) or 0)))
        texts.append(
            _(
                "%(attended)d of %(confirmed)d · %(rate)d%%",
                attended=attended,
                confirmed=confirmed,
                rate=int(percent(attended, confirmed) or 0),
            )
        )
    return bar_chart(
        _("Attendance rate per stakeholder type"),
        items,
        value_texts=texts,
        value_label=_("Share of confirmed registrants who attended (%)"),
        max_value=100,
        chart_id="attendance",
    )


def inputs_by_challenge_chart(input_counts, challenges) -> Chart:
    kinds = [k for k in INPUT_KINDS if any(r.kind == k for r in input_counts)]
    known = {c.id for c in challenges}
    categories = [(c.id, c.title) for c in challenges] + [(None, _("General inputs"))]
    table = {}
    for row in input_counts:
        key = row.challenge_id if row.challenge_id in known else None
        table[(key, row.kind)] = table.get((key, row.kind), 0) + row.count
    return grouped_bar_chart(
        _("Inputs per challenge and kind"),
        [label for _k, label in categories],
        [str(KIND_LABELS[k]) for k in kinds],
        [[table.get((key, k), 0) for k in kinds] for key, _l in categories],
        value_label=_("Inputs"),
        chart_id="inputs-by-challenge",
    )


def inputs_by_type_chart(input_counts, balance) -> Chart:
    per_type: dict[int | None, int] = {}
    for row in input_counts:
        per_type[row.type_id] = per_type.get(row.type_id, 0) + row.count
    items = [
        (row.stakeholder_type.label, per_type.get(row.stakeholder_type.id, 0))
        for row in balance.types
    ]
    items.append((_("Invited experts"), per_type.get(None, 0)))
    return bar_chart(
        _("Inputs per stakeholder type of the author"),
        items,
        value_label=_("Inputs"),
        chart_id="inputs-by-type",
    )


def dashboard_charts(data) -> dict[str, Chart]:
    """Every chart of the dashboard, keyed by name."""
    charts = {
        "registrations": registrations_chart(data.by_day),
        "balance": balance_chart(data.balance),
        "countries": countries_chart(data.countries),
        "attendance": attendance_chart(data.balance, data.attendance),
        "inputs_by_challenge": inputs_by_challenge_chart(
            data.input_counts, data.priorities.challenges
        ),
        "inputs_by_type": inputs_by_type_chart(data.input_counts, data.balance),
    }
    charts.update(
        {
            f"priorities_{k}": c
            for k, c in priority_charts(data.priorities, series_label=_marked).items()
        }
    )
    return charts


def _marked(row) -> str:
    return group_label(row.label, row.ballots, mark_small=True)


def group_balance_chart(groups) -> Chart:
    """The report's balance: small types folded (services/groups.py), with n."""
    return grouped_bar_chart(
        _("Share of confirmed seats against the target, per stakeholder type"),
        [group_label(row.label, row.confirmed) for row in groups.rows],
        [_("Share of confirmed"), _("Target share")],
        [[float(row.share or 0), row.target] for row in groups.rows],
        value_label=_("Share of confirmed seats (%)"),
        max_value=100,
        chart_id="stakeholder-balance",
    )


def country_rows_chart(rows) -> Chart:
    """The report's countries: small ones folded, the total n in the title."""
    top = [(row.label, row.n) for row in rows[:TOP_COUNTRIES]]
    rest = sum(row.n for row in rows[TOP_COUNTRIES:])
    if rest:
        top.append((_("Other countries"), rest))
    return bar_chart(
        _(
            "Confirmed registrants by country (n = %(n)d)",
            n=sum(row.n for row in rows),
        ),
        top,
        value_label=_("Confirmed registrants"),
        chart_id="countries",
    )


def attendance_rows_chart(rows) -> Chart:
    """The report's attendance per type: small ones folded, "a of n" each."""
    return bar_chart(
        _("Attendance rate per stakeholder type"),
        # Decimal from the counts, half up, as on the dashboard (never round()
        # of a float, which gives 12 for 1 of 8).
        [
            (
                group_label(row.label, row.confirmed),
                float(percent(row.attended, row.confirmed, 1) or 0),
            )
            for row in rows
        ],
        value_texts=[
            _(
                "%(attended)d of %(confirmed)d · %(rate)d%%",
                attended=row.attended,
                confirmed=row.confirmed,
                rate=int(percent(row.attended, row.confirmed) or 0),
            )
            for row in rows
        ],
        value_label=_("Share of confirmed registrants who attended (%)"),
        max_value=100,
        chart_id="attendance",
    )


def report_charts(report) -> dict[str, Chart]:
    """The report's charts: participation, countries, attendance, priorities;
    every per-group one with small groups folded (report.groups, …)."""
    charts = {
        "balance": group_balance_chart(report.groups),
        "countries": country_rows_chart(report.country_rows),
    }
    if report.attendance_known:
        charts["attendance"] = attendance_rows_chart(report.attendance_rows)
    charts.update(
        {
            f"priorities_{k}": c
            for k, c in priority_charts(by_points(report.group_priorities)).items()
        }
    )
    return charts


def by_points(results):
    """The results with the challenges most points first (ties in their own
    order), so that the report's charts read as a ranking."""
    order = sorted(results.challenges, key=lambda c: -results.overall.get(c.id, 0))
    return replace(results, challenges=order)


def public_charts(summary) -> dict[str, Chart]:
    """The public page's charts, from a frozen version (publication.PublicSummary):
    only groups large enough to be shown."""
    charts = {
        "types": bar_chart(
            _("Participants by stakeholder type"),
            [(share.label, share.count) for share in summary.types],
            value_label=_("Confirmed participants"),
            chart_id="public-types",
        )
    }
    if summary.priorities is None:
        return charts
    titles = [row["title"] for row in summary.priorities["challenges"]]
    charts["priorities"] = bar_chart(
        _("Share of all points per challenge"),
        [(title, float(share)) for title, share in summary.challenge_shares],
        value_label=_("Share of all points (%)"),
        max_value=100,
        chart_id="public-priorities",
    )
    rows = summary.priority_types
    if len(rows) > 1:
        charts["priorities_by_type"] = grouped_bar_chart(
            _("Share of each stakeholder type's points per challenge"),
            titles,
            [group_label(row["label"], row["ballots"]) for row in rows],
            [
                [float(Decimal(row["shares"][i])) for row in rows]
                for i in range(len(titles))
            ],  # fmt: skip
            value_label=_("Share of the type's points (%)"),
            max_value=100,
            chart_id="public-priorities-by-type",
        )
    return charts


def divergence_chart(results, divergence) -> Chart:
    """The spread between the stakeholder groups large enough to compare
    (consult.dashboard.services.findings), largest first, ties in the
    challenges' order."""
    order = sorted(results.challenges, key=lambda c: -divergence.spreads.get(c.id, 0))
    return bar_chart(
        _("Where the stakeholder types disagree most"),
        [(c.title, float(divergence.shown.get(c.id, 0))) for c in order],
        description=_(
            "For each challenge, the highest minus the lowest share of points "
            "between these stakeholder types, in percentage points: %(groups)s.",
            groups=divergence.groups_text,
        ),
        value_label=_("Spread (percentage points)"),
        decimals=0,
        chart_id="priorities-spread",
    )
