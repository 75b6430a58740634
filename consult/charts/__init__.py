"""Server-rendered SVG charts: no JavaScript and no chart library.

Every builder returns a :class:`Chart`: the SVG as ``Markup`` (ready for a page,
the consultation report or its PDF) and the same numbers as a table. The
``chart()`` macro in templates/_macros/charts.html shows both: the picture and,
in a ``<details>``, a real ``<table>`` for screen readers and keyboard users.

The pages run under a strict CSP (``style-src 'self'``), so the SVG carries no
``style`` attributes: only presentation attributes (``fill``, ``font-size``)
and classes styled by static/css/charts.css. Text is drawn in
``currentColor`` and follows the page. Every piece of text goes through
``markupsafe.escape``: option labels are user input. Bars start at zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _

from consult.charts.colours import (
    BAND_COLOURS,
    PALETTE,
    _cycle,
    _ink_on,
    scale_colours,
)
from consult.charts.plot import (
    _vertical,
    nice_ticks,
)
from consult.charts.svg import (
    CHAR_WIDTH,
    SMALL,
    WIDTH,
    Chart,
    Number,
    _chart,
    _check,
    _date_label,
    _empty,
    _fmt,
    _label_width,
    _labels,
    _legend,
    _legend_height,
    _rect,
    _row_height,
    _row_label,
    _scale,
    _short_date,
    _summary,
    _text,
    _vline,
    text_units,
)
from consult.shares import rounded_shares

# The public API: the builders below, the Chart record, the palettes and ticks.
__all__ = [
    "BAND_COLOURS",
    "PALETTE",
    "Chart",
    "bar_chart",
    "grouped_bar_chart",
    "histogram",
    "nice_ticks",
    "scale_colours",
    "stacked_percent_chart",
    "time_chart",
]

# --- public builders ------------------------------------------------------


def bar_chart(
    title: str,
    items: Sequence[tuple[str, Number]],
    *,
    description: str | None = None,
    value_label: str | None = None,
    max_value: Number | None = None,
    value_texts: Sequence[str] | None = None,
    decimals: int = 0,
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars, one per (label, value), longest label area on the left.

    ``value_texts`` replaces the number printed after each bar (e.g. "12 · 40%");
    ``max_value`` fixes the scale (e.g. 100 for percentages).
    """
    values = [_check(v) for _label, v in items]
    texts = list(value_texts or [_fmt(v, decimals) for v in values])
    value_label = value_label or _("Count")
    top = max_value if max_value is not None else max(values, default=0)
    label_w = _label_width(_labels(items))
    value_w = max((text_units(t) for t in texts), default=1) * CHAR_WIDTH + 12
    area = WIDTH - label_w - value_w - 10
    row_h, bar_h, pad_top = _row_height(_labels(items), label_w, 30), 20, 8
    height = pad_top + row_h * max(len(items), 1) + 30
    body = []
    for i, ((label, _v), value, text) in enumerate(
        zip(items, values, texts, strict=True)
    ):
        y = pad_top + i * row_h
        w = _scale(value, top, area)
        body.append(_row_label(label, label_w - 8, y + row_h / 2))
        body.append(
            _rect(label_w, y + (row_h - bar_h) / 2, w, bar_h, PALETTE[0], label)
        )
        body.append(
            _text(label_w + w + 6, y + row_h / 2, text, anchor="start", cls="value")
        )
    if items:
        body.append(_vline(label_w, pad_top - 4, pad_top + row_h * len(items) + 4))
    else:
        body.append(_empty((height - 30) / 2))
    body.append(
        _text(
            label_w + area / 2, height - 10, value_label, cls="axis-label", size=SMALL
        )
    )
    rows = tuple((label, t) for (label, _v), t in zip(items, texts, strict=True))
    desc = description or _summary(_("Bar chart"), rows)
    return _chart(title, desc, height, body, ("", value_label), rows, chart_id)


def grouped_bar_chart(
    title: str,
    categories: Sequence[str],
    groups: Sequence[str],
    values: Sequence[Sequence[Number | None]],
    *,
    description: str | None = None,
    value_label: str | None = None,
    max_value: Number | None = None,
    decimals: int = 0,
    unit: str = "",
    missing_text: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars per category, one bar per group (``values[category][group]``).

    A ``None`` value is drawn as ``missing_text`` instead of a bar (a group
    hidden because it is too small, or with no data). ``unit`` follows each
    printed value (e.g. "%").
    """
    missing_text = missing_text or "–"
    if len(values) != len(categories) or any(len(r) != len(groups) for r in values):
        raise ValueError("values must be one row per category, one cell per group")
    flat = [_check(v) for row in values for v in row if v is not None]
    value_label = value_label or _("Count")
    top = max_value if max_value is not None else max(flat, default=0)
    label_w = _label_width(categories)
    area = WIDTH - label_w - 70
    bar_h, gap = 16, 14
    legend_h = _legend_height(groups)
    block = _row_height(categories, label_w, bar_h * max(len(groups), 1) + gap)
    height = legend_h + block * max(len(categories), 1) + 30
    body = [_legend(groups, PALETTE)]
    for c, category in enumerate(categories):
        y0 = legend_h + c * block
        body.append(_row_label(category, label_w - 8, y0 + (block - gap) / 2))
        for g, group in enumerate(groups):
            y = y0 + g * bar_h
            value = values[c][g]
            if value is None:
                body.append(
                    _text(label_w + 6, y + bar_h / 2, missing_text, anchor="start")
                )
                continue
            w = _scale(value, top, area)
            colour = PALETTE[g % len(PALETTE)]
            body.append(_rect(label_w, y + 1, w, bar_h - 2, colour, f"{group}"))
            body.append(
                _text(
                    label_w + w + 6,
                    y + bar_h / 2,
                    _fmt(value, decimals) + unit,
                    anchor="start",
                    size=SMALL,
                    cls="value",
                )
            )
    if categories and groups:
        body.append(_vline(label_w, legend_h - 4, legend_h + block * len(categories)))
    else:
        body.append(_empty(legend_h + (height - legend_h - 30) / 2))
    body.append(
        _text(
            label_w + area / 2, height - 10, value_label, cls="axis-label", size=SMALL
        )
    )
    rows = tuple(
        (
            category,
            *(missing_text if v is None else _fmt(v, decimals) + unit for v in row),
        )
        for category, row in zip(categories, values, strict=True)
    )
    desc = description or _summary(_("Grouped bar chart"), rows, head=groups)
    return _chart(title, desc, height, body, ("", *groups), rows, chart_id)


def stacked_percent_chart(
    title: str,
    groups: Sequence[str],
    segments: Sequence[str],
    counts: Sequence[Sequence[Number]],
    *,
    ordered: bool = True,
    colours: Sequence[str] | None = None,
    description: str | None = None,
    empty_text: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    """One 100% bar per group split into ``segments`` (``counts[group][segment]``).

    ``ordered`` segments (a scale) get a diverging palette; unordered ones
    (categories) the qualitative palette; ``colours`` overrides both. A group with no data shows
    ``empty_text``. The table gives counts and shares.
    """
    empty_text = empty_text or _("No responses")
    if len(counts) != len(groups) or any(len(r) != len(segments) for r in counts):
        raise ValueError("counts must be one row per group, one cell per segment")
    if colours is None:
        colours = scale_colours(len(segments)) if ordered else _cycle(len(segments))
    elif len(colours) != len(segments):
        raise ValueError("one colour per segment")
    label_w = _label_width(groups)
    n_w = 70
    area = WIDTH - label_w - n_w
    row_h, bar_h = _row_height(groups, label_w, 32), 22
    legend_h = _legend_height(segments)
    height = legend_h + row_h * max(len(groups), 1) + 8
    body = [_legend(segments, colours)]
    rows = []
    for r, (group, row) in enumerate(zip(groups, counts, strict=True)):
        row = [_check(v) for v in row]
        total = sum(row)
        y = legend_h + r * row_h
        body.append(_row_label(group, label_w - 8, y + row_h / 2))
        body.append(
            _text(
                WIDTH - 4, y + row_h / 2, f"n = {_fmt(total)}", anchor="end", size=SMALL
            )
        )
        if not total:
            body.append(_text(label_w + 6, y + row_h / 2, empty_text, anchor="start"))
            rows.append((group, *("0" for _s in segments), "0"))
            continue
        x = float(label_w)
        # The row's shares add to 100 (largest remainder, from exact values).
        shown = rounded_shares([Fraction(v) for v in row])
        for s, value in enumerate(row):
            w = area * value / total
            if w > 0:
                body.append(
                    _rect(x, y + (row_h - bar_h) / 2, w, bar_h, colours[s], segments[s])
                )
            if w >= 30:
                body.append(
                    _text(
                        x + w / 2,
                        y + row_h / 2,
                        f"{shown[s]}%",
                        size=SMALL,
                        fill=_ink_on(colours[s]),
                    )
                )
            x += w
        rows.append(
            (
                group,
                *(f"{_fmt(v)} ({p}%)" for v, p in zip(row, shown, strict=True)),
                _fmt(total),
            )
        )
    if not groups:
        body.append(_empty(legend_h + (height - legend_h - 8) / 2))
    head = ("", *segments, _("Total"))
    desc = description or _summary(_("Stacked 100% bar chart"), rows, head=head[1:])
    return _chart(title, desc, height, body, head, tuple(rows), chart_id)


def time_chart(
    title: str,
    points: Sequence[tuple[str | date, Number]],
    *,
    style: str = "column",
    description: str | None = None,
    value_label: str | None = None,
    x_label: str | None = None,
    decimals: int = 0,
    chart_id: str | None = None,
) -> Chart:
    """Values over time as columns (``style="column"``) or a line (``"line"``).

    Points are (label or date, value) in order; dates are shown as ISO dates
    unless the caller formats them.
    """
    if style not in {"column", "line"}:
        raise ValueError("style must be 'column' or 'line'")
    labelled = [(_date_label(x), _check(v)) for x, v in points]
    axis_labels = [_short_date(x) for x, _v in points]
    return _vertical(
        title,
        labelled,
        style=style,
        kind=_("Line chart") if style == "line" else _("Column chart"),
        description=description,
        value_label=value_label or _("Count"),
        x_label=x_label or _("Date"),
        decimals=decimals,
        gap=0.25,
        colours=[PALETTE[0]] * len(labelled),
        legend=(),
        chart_id=chart_id,
        axis_labels=axis_labels,
    )


def histogram(
    title: str,
    bins: Sequence[tuple[str, Number]],
    *,
    bands: Sequence[tuple[str, int]] = (),
    description: str | None = None,
    value_label: str | None = None,
    x_label: str | None = None,
    chart_id: str | None = None,
) -> Chart:
    """A distribution: touching columns, one per (bin label, count), e.g. 0-10.

    ``bands`` colours consecutive bins and adds a legend, e.g.
    ``[("Detractors", 7), ("Passives", 2), ("Promoters", 2)]``.
    """
    labelled = [(str(label), _check(v)) for label, v in bins]
    colours = [PALETTE[0]] * len(labelled)
    if bands:
        if sum(n for _label, n in bands) != len(labelled):
            raise ValueError("bands must cover every bin exactly once")
        band_colours = list(BAND_COLOURS) if len(bands) == 3 else None
        band_colours = band_colours or _cycle(len(bands))
        colours = [
            colour
            for (_label, n), colour in zip(bands, band_colours, strict=True)
            for _i in range(n)
        ]
        legend = tuple(
            (label, colour)
            for (label, _n), colour in zip(bands, band_colours, strict=True)
        )
    else:
        legend = ()
    return _vertical(
        title,
        labelled,
        style="column",
        kind=_("Histogram"),
        description=description,
        value_label=value_label or _("Responses"),
        x_label=x_label or _("Value"),
        decimals=0,
        gap=0.04,
        colours=colours,
        legend=legend,
        chart_id=chart_id,
    )
