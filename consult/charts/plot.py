"""The vertical layout shared by time charts and histograms: axes, grid, marks."""

from __future__ import annotations

import math
from dataclasses import dataclass

from consult.charts.colours import (
    PALETTE,
)
from consult.charts.svg import (
    SMALL,
    WIDTH,
    Number,
    _chart,
    _clip,
    _empty,
    _esc,
    _fmt,
    _legend,
    _legend_height,
    _rect,
    _scale,
    _summary,
    _text,
    text_units,
)


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
    longest = max((text_units(_clip(label, 14)) for label in labels), default=1)
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
