"""The SVG charts of a question's results (consult.charts), overall and by type.

Hidden groups (anonymous surveys, privacy.py) never reach a chart: they are
left out and the page names them under the chart. Every group's series says
its n; a group below the threshold (only a named survey's results page, the
organiser's own, shows one) also says it is small.
"""

from __future__ import annotations

import math

from flask_babel import gettext as _

from consult import charts
from consult.surveys.models import RATING_MAX, RATING_MIN
from consult.surveys.results.aggregate import QuestionResult
from consult.surveys.results.privacy import group_label
from consult.surveys.results.stats import PASSIVES_FROM, PROMOTERS_FROM
from consult.surveys.scale import scale_texts

MAX_NUMBER_BINS = 10


def question_charts(result: QuestionResult) -> list[charts.Chart]:
    """The charts for one question: the overall picture, then the split by type."""
    if result.hidden or not result.n:
        return []
    builder = _BUILDERS.get(result.kind)
    return builder(result) if builder else []


def other_label() -> str:
    return _("Other (please specify)")


def _choice_label(row) -> str:
    return row.label if row.option_id is not None else other_label()


def _choices(result: QuestionResult) -> list[charts.Chart]:
    """Most chosen first (the options' order means nothing), "Other" last."""
    stats, title = result.overall, result.question.text
    order = sorted(
        range(len(stats.rows)),
        key=lambda i: (stats.rows[i].option_id is None, -stats.rows[i].count),
    )
    rows = [stats.rows[i] for i in order]
    items = [(_choice_label(r), r.count) for r in rows]
    texts = [f"{r.count} · {r.percent}%" for r in rows]
    out = [
        charts.bar_chart(
            title,
            items,
            value_label=_("Respondents (share of %(n)d)", n=stats.n),
            value_texts=texts,
        )
    ]
    groups = result.visible_groups
    if groups:
        out.append(
            charts.grouped_bar_chart(
                _("%(title)s — share by stakeholder type", title=title),
                [_choice_label(r) for r in rows],
                [group_label(g.group.label, g.n, mark_small=True) for g in groups],
                [[float(g.stats.rows[i].percent) for g in groups] for i in order],
                value_label=_("Share of the group's respondents (%)"),
                max_value=100,
                unit="%",
            )
        )
    return out


def _scale_rows(result, labels, points):
    """Stacked distribution rows: everyone, then each visible type."""
    groups = [group_label(_("All respondents"), result.n)]
    counts = [_counts(result.overall.distribution, points)]
    for g in result.visible_groups:
        groups.append(group_label(g.group.label, g.n, mark_small=True))
        counts.append(_counts(g.stats.distribution, points))
    return groups, labels, counts


def _scale_labels(question) -> list[str]:
    """The five points with their labels in the reader's language."""
    texts = scale_texts(question, question.survey.event.default_language)
    return [f"{i} · {label}" for i, label in enumerate(texts, 1)]


def _likert(result: QuestionResult) -> list[charts.Chart]:
    labels = _scale_labels(result.question)
    groups, segments, counts = _scale_rows(result, labels, [1, 2, 3, 4, 5])
    return [
        charts.stacked_percent_chart(
            _("%(title)s — by stakeholder type", title=result.question.text),
            groups,
            segments,
            counts,
        )
    ]


def _rating(result: QuestionResult) -> list[charts.Chart]:
    stats = result.overall
    points = list(range(RATING_MIN, RATING_MAX + 1))
    bins = [
        (str(p), c)
        for p, c in zip(points, _counts(stats.distribution, points), strict=True)
    ]
    bands = [
        (_("Detractors (0–6)"), PASSIVES_FROM - RATING_MIN),
        (_("Passives (7–8)"), PROMOTERS_FROM - PASSIVES_FROM),
        (_("Promoters (9–10)"), RATING_MAX + 1 - PROMOTERS_FROM),
    ]
    out = [
        charts.histogram(
            result.question.text,
            bins,
            bands=bands,
            x_label=_("Rating (0–10)"),
        )
    ]
    groups = [group_label(_("All respondents"), result.n)] + [
        group_label(g.group.label, g.n, mark_small=True) for g in result.visible_groups
    ]
    nps = [stats.nps] + [g.stats.nps for g in result.visible_groups]
    out.append(
        charts.stacked_percent_chart(
            _(
                "%(title)s — promoters, passives and detractors",
                title=result.question.text,
            ),
            groups,
            [label for label, _n in bands],
            [[n.detractors, n.passives, n.promoters] for n in nps],
            colours=charts.BAND_COLOURS,
        )
    )
    return out


def _number(result: QuestionResult) -> list[charts.Chart]:
    bins = number_bins(result.overall.distribution)
    return [
        charts.histogram(
            result.question.text, bins, x_label=_("Answer"), value_label=_("Responses")
        )
    ]


def number_bins(distribution: list[tuple[float, int]]) -> list[tuple[str, int]]:
    """A histogram of any numbers: one bin per value when few, else ten ranges."""
    values = [v for v, c in distribution if c]
    if not values:
        return []
    if len(values) <= MAX_NUMBER_BINS + 1 and all(v.is_integer() for v in values):
        low, high = int(min(values)), int(max(values))
        if high - low <= MAX_NUMBER_BINS:
            counts = dict(distribution)
            return [(str(v), counts.get(float(v), 0)) for v in range(low, high + 1)]
    low, high = min(values), max(values)
    if low == high:
        return [(_fmt(low), sum(c for _v, c in distribution))]
    width = (high - low) / MAX_NUMBER_BINS
    counts = [0] * MAX_NUMBER_BINS
    for value, count in distribution:
        index = min(math.floor((value - low) / width), MAX_NUMBER_BINS - 1)
        counts[index] += count
    return [
        (f"{_fmt(low + i * width)}–{_fmt(low + (i + 1) * width)}", counts[i])
        for i in range(MAX_NUMBER_BINS)
    ]


def _matrix(result: QuestionResult) -> list[charts.Chart]:
    # Statements answered by too few (protected results) are left out.
    stats = result.overall
    shown = [i for i, s in enumerate(stats.statements) if not s.hidden]
    if not shown:
        return []
    labels = _scale_labels(result.question)
    out = [
        charts.stacked_percent_chart(
            result.question.text,
            [
                group_label(stats.statements[i].label, stats.statements[i].stats.n)
                for i in shown
            ],
            labels,
            [
                _counts(stats.statements[i].stats.distribution, [1, 2, 3, 4, 5])
                for i in shown
            ],
        )
    ]
    groups = result.visible_groups
    if groups:
        out.append(
            charts.grouped_bar_chart(
                _(
                    "%(title)s — mean by stakeholder type (1–5)",
                    title=result.question.text,
                ),
                [stats.statements[i].label for i in shown],
                [group_label(g.group.label, g.n, mark_small=True) for g in groups],
                [
                    [_mean(g.stats.statements[i].stats.mean) for g in groups]
                    for i in shown
                ],  # fmt: skip
                value_label=_("Mean (1–5)"),
                max_value=5,
                decimals=1,
            )
        )
    return out


def _ranking(result: QuestionResult) -> list[charts.Chart]:
    stats = result.overall
    size = len(stats.items)
    ordinals = [_("Rank %(n)d", n=i) for i in range(1, size + 1)]
    return [
        charts.stacked_percent_chart(
            _(
                "%(title)s — how often each item was ranked where",
                title=result.question.text,
            ),
            [
                _(
                    "%(label)s (mean rank %(rank)s)",
                    label=row.label,
                    rank=_fmt(row.mean_rank),
                )
                for row in stats.items
            ],
            ordinals,
            [row.rank_counts for row in stats.items],
        )
    ]


def _counts(distribution, points) -> list[int]:
    counts = dict(distribution)
    return [counts.get(float(p), 0) for p in points]


def _mean(value):
    return None if value is None else round(value, 2)


def _fmt(value) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


_BUILDERS = {
    "single_choice": _choices,
    "multiple_choice": _choices,
    "likert": _likert,
    "rating": _rating,
    "number": _number,
    "likert_matrix": _matrix,
    "ranking": _ranking,
}
