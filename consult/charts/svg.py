"""SVG pieces shared by every chart: the Chart record, text, shapes, escaping."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import has_app_context
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 640
FONT = 14  # labels and values
SMALL = 12  # ticks and legends
CHAR_WIDTH = 7.8  # a generous average advance of a 14px sans-serif character
_ids = itertools.count(1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A shape's or label's tooltip (the chart's own title carries an id).
_TOOLTIP = re.compile(r"<title>[^<]*</title>")

Number = int | float

# The chart's font stack: the screen's system faces, then Noto. WeasyPrint
# draws SVG text with this attribute alone (no CSS, no lang), so the face of
# the chart's language for Han and Hangul comes first among the CJK ones:
# the same character is drawn differently in China, Hong Kong and Korea.
FONT_STACK = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, DejaVu Sans"
CJK_FACES = {
    "zh_Hans": "Noto Sans CJK SC",
    "zh_Hant": "Noto Sans CJK HK",
    "ko": "Noto Sans CJK KR",
    "ja": "Noto Sans CJK JP",
}


def font_family() -> str:
    """The charts' font-family for the current locale."""
    language = str(get_locale() or "") if has_app_context() else ""
    own = CJK_FACES.get(language)
    others = [face for code, face in CJK_FACES.items() if face != own]
    return ", ".join([FONT_STACK, *([own] if own else []), *others, "sans-serif"])


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

    @property
    def print_svg(self) -> Markup:
        """The SVG without the tooltips of its bars and labels, which paper
        cannot show: a third of the elements WeasyPrint would style."""
        return Markup(_TOOLTIP.sub("", str(self.svg)))


# --- SVG pieces --------------------------------------------------------------


def _chart(title, description, height, body, head, rows, chart_id) -> Chart:
    cid = _esc(chart_id or f"chart-{next(_ids)}")
    height = math.ceil(height)
    svg = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{font_family()}" '
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
    wraps = any(text_units(_clean(label)) > max_chars for label in labels)
    return max(base, 44) if wraps else base


def _legend(labels, colours) -> str:
    x, y, parts = 0.0, 8.0, []
    for i, label in enumerate(labels):
        text = _clip(label, 36)
        w = 22 + text_units(text) * 6.6 + 16
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
        w = 22 + text_units(_clip(label, 36)) * 6.6 + 16
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
    longest = max((text_units(_clean(label)) for label in labels), default=4)
    # Labels past the cap wrap onto two lines, then get an ellipsis.
    return int(min(max(longest * CHAR_WIDTH + 12, 60), 230))


def text_units(text: str) -> int:
    """Width in average characters: Han, Hangul and other wide ones count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` units."""
    used = 0
    for i, c in enumerate(text):
        used += 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used > width:
            return i
    return len(text)


def _wrap(text: str, width: int) -> list[str]:
    if text_units(text) <= width:
        return [text]
    fits = _fit(text, width)
    cut = text.rfind(" ", 0, fits + 1)
    if cut <= 0:  # no space: CJK breaks between any two characters
        cut = max(fits, 1)
    first, rest = text[:cut].rstrip(), text[cut:].strip()
    return [first, _clip(rest, width)]


def _clip(text, width: int) -> str:
    text = _clean(text)
    if text_units(text) <= width:
        return text
    return text[: _fit(text, width - 1)].rstrip() + "…"


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
