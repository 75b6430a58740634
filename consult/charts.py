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

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import has_app_context
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

# Okabe & Ito's palette for colour-blind readers (yellow and grey last: they
# are the weakest against white).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#7F7F7F",
)
# ColorBrewer PuOr (11 classes), a diverging scale safe for colour-blind
# readers; ordered scales (Likert, 0-10) are sampled from it.
_DIVERGING = (
    "#7f3b08",
    "#b35806",
    "#e08214",
    "#fdb863",
    "#fee0b6",
    "#dcdcdc",  # PuOr's #f7f7f7 darkened: visible on a white page
    "#d8daeb",
    "#b2abd2",
    "#8073ac",
    "#542788",
    "#2d004b",
)

# Three bands (e.g. detractors, passives, promoters): vermillion, grey, blue.
BAND_COLOURS = (PALETTE[4], "#7F7F7F", PALETTE[0])

WIDTH = 640
FONT = 14  # labels and values
SMALL = 12  # ticks and legends
CHAR_WIDTH = 7.8  # a generous average advance of a 14px sans-serif character
_ids = itertools.count(1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Number = int | float


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG and the table of the same numbers."""

    title: str
    description: str
    svg: Markup
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __html__(self) -> str:
        return str(self.svg)


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
    value_w = max((len(t) for t in texts), default=1) * CHAR_WIDTH + 12
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
        for s, value in enumerate(row):
            w = area * value / total
            share = 100 * value / total
            if w > 0:
                body.append(
                    _rect(x, y + (row_h - bar_h) / 2, w, bar_h, colours[s], segments[s])
                )
            if w >= 30:
                body.append(
                    _text(
                        x + w / 2,
                        y + row_h / 2,
                        f"{share:.0f}%",
                        size=SMALL,
                        fill=_ink_on(colours[s]),
                    )
                )
            x += w
        rows.append(
            (
                group,
                *(f"{_fmt(v)} ({100 * v / total:.0f}%)" for v in row),
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


def scale_colours(n: int) -> list[str]:
    """``n`` colours for an ordered scale, low to high, from the diverging palette."""
    if n <= 0:
        return []
    if n == 1:
        return [_DIVERGING[8]]
    # Skip the two darkest ends so that text inside segments stays legible.
    first, last = 1, len(_DIVERGING) - 2
    out = []
    for i in range(n):
        pos = first + (last - first) * i / (n - 1)
        low = int(math.floor(pos))
        high = min(low + 1, len(_DIVERGING) - 1)
        out.append(_mix(_DIVERGING[low], _DIVERGING[high], pos - low))
    return out


def nice_ticks(top: Number, count: int = 5, *, integer: bool = True) -> list[Number]:
    """Round axis ticks from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


# --- the vertical layout shared by time charts and histograms --------------


@dataclass(frozen=True)
class _Plot:
    """Where the plot area of a vertical chart sits, and its scale."""

    left: float
    top_y: float
    height: float
    top_value: float
    count: int

    @property
    def base(self) -> float:
        return self.top_y + self.height

    @property
    def width(self) -> float:
        return WIDTH - 12 - self.left

    @property
    def slot(self) -> float:
        return self.width / max(self.count, 1)

    def y(self, value) -> float:
        return self.base - _scale(value, self.top_value, self.height)


def _vertical(
    title,
    points,
    *,
    style,
    kind,
    description,
    value_label,
    x_label,
    decimals,
    gap,
    colours,
    legend,
    chart_id,
    axis_labels=None,
):
    values = [v for _x, v in points]
    integer = all(float(v).is_integer() for v in values)
    ticks = nice_ticks(max(values, default=0), integer=integer)
    tick_w = max(len(_fmt(t, 0 if integer else 1)) for t in ticks) * 7 + 8
    legend_h = _legend_height([label for label, _c in legend]) if legend else 10
    plot = _Plot(30 + tick_w, legend_h + 10, 200, ticks[-1], len(points))
    body = []
    if legend:
        body.append(
            _legend([label for label, _c in legend], [c for _label, c in legend])
        )
    body += _grid(plot, ticks, integer)
    body += _marks(plot, points, colours, style=style, gap=gap, decimals=decimals)
    body += _x_labels(plot, axis_labels or [label for label, _v in points])
    if not points:
        body.append(_empty(plot.top_y + plot.height / 2))
    body += _axes(plot, x_label, value_label)
    rows = tuple((label, _fmt(v, decimals)) for label, v in points)
    desc = description or _summary(kind, rows)
    return _chart(
        title, desc, plot.base + 56, body, (x_label, value_label), rows, chart_id
    )


def _grid(plot: _Plot, ticks, integer: bool) -> list[str]:
    out = []
    for t in ticks:
        y = plot.y(t)
        out.append(
            f'<line class="grid" x1="{plot.left}" y1="{y:.1f}" '
            f'x2="{plot.left + plot.width}" y2="{y:.1f}" stroke="currentColor" '
            f'stroke-opacity="0.15"/>'
        )
        out.append(
            _text(
                plot.left - 6, y, _fmt(t, 0 if integer else 1), anchor="end", size=SMALL
            )
        )
    return out


def _marks(plot: _Plot, points, colours, *, style, gap, decimals) -> list[str]:
    """Columns with their values, or a line with a dot per point."""
    out, line = [], []
    for i, ((label, value), colour) in enumerate(zip(points, colours, strict=True)):
        cx, y = plot.left + plot.slot * (i + 0.5), plot.y(value)
        text = _fmt(value, decimals)
        if style == "column":
            w = plot.slot * (1 - gap)
            out.append(
                _rect(cx - w / 2, y, w, plot.base - y, colour, f"{label}: {text}")
            )
            if plot.slot >= 22 and value:
                out.append(_text(cx, y - 8, text, size=SMALL))
        else:
            line.append(f"{cx:.1f},{y:.1f}")
            out.append(
                f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{_esc(label)}: {_esc(text)}</title></circle>"
            )
    if line:
        out.insert(
            0,
            f'<polyline points="{" ".join(line)}" fill="none" '
            f'stroke="{PALETTE[0]}" stroke-width="2"/>',
        )
    return out


def _x_labels(plot: _Plot, labels) -> list[str]:
    """Labels under the columns; every n-th one when they would overlap."""
    longest = max((len(_clip(label, 14)) for label in labels), default=1)
    every = max(1, math.ceil(len(labels) * (longest * 7 + 10) / plot.width))
    return [
        _text(
            plot.left + plot.slot * (i + 0.5),
            plot.base + 14,
            _clip(label, 14),
            size=SMALL,
        )
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _axes(plot: _Plot, x_label, value_label) -> list[str]:
    middle = plot.top_y + plot.height / 2
    return [
        f'<line class="axis" x1="{plot.left}" y1="{plot.base}" '
        f'x2="{plot.left + plot.width}" y2="{plot.base}" stroke="currentColor"/>',
        _text(
            plot.left + plot.width / 2,
            plot.base + 38,
            x_label,
            cls="axis-label",
            size=SMALL,
        ),
        f'<text class="axis-label" x="14" y="{middle:.1f}" font-size="{SMALL}" '
        f'fill="currentColor" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{_esc(value_label)}</text>',
    ]


# --- SVG pieces --------------------------------------------------------------


def _chart(title, description, height, body, head, rows, chart_id) -> Chart:
    cid = _esc(chart_id or f"chart-{next(_ids)}")
    height = math.ceil(height)
    svg = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'font-size="{FONT}" aria-labelledby="{cid}-title {cid}-desc">'
        f'<title id="{cid}-title">{_esc(title)}</title>'
        f'<desc id="{cid}-desc">{_esc(description)}</desc>' + "".join(body) + "</svg>"
    )
    return Chart(
        title=_clean(title),
        description=_clean(description),
        svg=svg,
        head=tuple(_clean(h) for h in head),
        rows=tuple(tuple(_clean(c) for c in row) for row in rows),
    )


def _text(x, y, text, *, anchor="middle", size=None, cls=None, fill="currentColor"):
    attrs = f' class="{cls}"' if cls else ""
    if size:
        attrs += f' font-size="{size}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'dominant-baseline="central" fill="{fill}"{attrs}>{_esc(text)}</text>'
    )


def _rect(x, y, w, h, colour, tip) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
        f'fill="{colour}"><title>{_esc(tip)}</title></rect>'
    )


def _vline(x, y1, y2) -> str:
    return (
        f'<line class="axis" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" '
        f'stroke="currentColor"/>'
    )


def _row_label(label, right, y) -> str:
    """A category label ending at ``right``: up to two lines, full text as tooltip."""
    max_chars = max(4, int(right / CHAR_WIDTH))
    lines = _wrap(_clean(label), max_chars)
    if len(lines) == 1:
        inner = _esc(lines[0])
    else:
        inner = "".join(
            f'<tspan x="{right:.1f}" dy="{dy}">{_esc(line)}</tspan>'
            for line, dy in zip(lines, ("-0.55em", "1.1em"), strict=True)
        )
    return (
        f'<g class="label"><title>{_esc(label)}</title><text x="{right:.1f}" '
        f'y="{y:.1f}" text-anchor="end" dominant-baseline="central" '
        f'fill="currentColor">{inner}</text></g>'
    )


def _labels(items) -> list[str]:
    return [label for label, _v in items]


def _row_height(labels, label_w, base) -> int:
    """Room for two-line labels when any label needs wrapping."""
    max_chars = max(4, int((label_w - 8) / CHAR_WIDTH))
    wraps = any(len(_clean(label)) > max_chars for label in labels)
    return max(base, 44) if wraps else base


def _legend(labels, colours) -> str:
    x, y, parts = 0.0, 8.0, []
    for i, label in enumerate(labels):
        text = _clip(label, 36)
        w = 22 + len(text) * 6.6 + 16
        if x + w > WIDTH and x > 0:
            x, y = 0.0, y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" '
            f'fill="{colours[i % len(colours)]}"/>'
        )
        parts.append(_text(x + 20, y + 7, text, anchor="start", size=SMALL))
        x += w
    return '<g class="legend">' + "".join(parts) + "</g>"


def _legend_height(labels) -> int:
    x, lines = 0.0, 1
    for label in labels:
        w = 22 + len(_clip(label, 36)) * 6.6 + 16
        if x + w > WIDTH and x > 0:
            x, lines = 0.0, lines + 1
        x += w
    return 8 + 20 * lines + 8


def _empty(y) -> str:
    return _text(WIDTH / 2, y, _("No data yet"), cls="empty")


# --- numbers and text -------------------------------------------------------


def _check(value) -> Number:
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"chart values must be finite numbers, not {value!r}")
    if value < 0:
        raise ValueError("bars start at zero: negative values cannot be drawn")
    return value


def _scale(value, top, length) -> float:
    return 0.0 if not top else length * min(value, top) / top


def _fmt(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if float(value).is_integer() and decimals == 0:
        return str(int(value))
    return f"{value:.{max(decimals, 1)}f}"


def _date_label(x) -> str:
    return x.isoformat() if isinstance(x, date) else str(x)


def _short_date(x) -> str:
    """A date as "24 Nov" in the page's locale (ISO without an app context)."""
    if not isinstance(x, date):
        return str(x)
    if not has_app_context():
        return x.isoformat()
    return format_date(x, "d MMM")


def _label_width(labels) -> int:
    longest = max((len(_clean(label)) for label in labels), default=4)
    # Labels past the cap wrap onto two lines, then get an ellipsis.
    return int(min(max(longest * CHAR_WIDTH + 12, 60), 230))


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        cut = width
    first, rest = text[:cut].rstrip(), text[cut:].strip()
    return [first, _clip(rest, width)]


def _clip(text, width: int) -> str:
    text = _clean(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _clean(text) -> str:
    # XML 1.0 forbids most control characters even as references.
    return _CONTROL.sub("", str(text))


def _esc(text) -> str:
    return str(escape(_clean(text)))


def _summary(kind: str, rows, head: Sequence[str] = ()) -> str:
    """A one-paragraph text version of the chart for its <desc>."""
    parts = []
    for row in rows[:20]:
        cells = row[1:]
        if head:
            cells = [f"{h} {c}" for h, c in zip(head, cells, strict=False)]
        parts.append(f"{row[0]}: {', '.join(cells)}")
    more = _(" (and %(n)d more)", n=len(rows) - 20) if len(rows) > 20 else ""
    if not parts:
        return f"{kind}. " + _("No data yet")
    return f"{kind}. " + "; ".join(parts) + more + "."


def _cycle(n: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a: str, b: str, t: float) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(
        f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb, strict=True)
    )


def _ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour`` (WCAG luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1a1a1a" if luminance > 0.18 else "#ffffff"
