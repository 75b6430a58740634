"""Chart colours: the colour-blind-safe palette, ordered scales, ink on a fill."""

from __future__ import annotations

import math

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
