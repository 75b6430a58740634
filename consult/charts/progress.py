"""A progress bar as a small server-rendered SVG (an action's percent done).

The same rules as every chart here: presentation attributes only (the pages'
CSP forbids ``style``), text escaped, a ``<title>`` and ``<desc>`` named by
``aria-labelledby`` so a screen reader hears "Progress: 40%", and the number
also printed beside the bar for everyone else.
"""

from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup

from consult.charts.colours import PALETTE
from consult.charts.svg import _esc, font_family

BAR_WIDTH = 200
BAR_HEIGHT = 14
TEXT_WIDTH = 44
TRACK = "#dcdcdc"
_ids = itertools.count(1)


def progress_bar(percent: int, *, label: str, chart_id: str | None = None) -> Markup:
    """A bar filled to ``percent`` (clamped to 0-100) with the number beside it.

    ``label`` says what progresses ("Progress of Food waste pilot"); the
    accessible name is the label and the percentage."""
    value = max(0, min(100, int(percent)))
    cid = _esc(chart_id or f"progress-{next(_ids)}")
    text = _("%(percent)d%%", percent=value)
    width, height = BAR_WIDTH + TEXT_WIDTH, BAR_HEIGHT + 4
    filled = BAR_WIDTH * value / 100
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{font_family()}" font-size="12" '
        f'aria-labelledby="{cid}-title {cid}-desc">'
        f'<title id="{cid}-title">{_esc(label)}</title>'
        f'<desc id="{cid}-desc">{_esc(_("%(percent)d%% done", percent=value))}</desc>'
        f'<rect x="0" y="2" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
        f'fill="{TRACK}" rx="3"/>'
        f'<rect x="0" y="2" width="{filled:.1f}" height="{BAR_HEIGHT}" '
        f'fill="{PALETTE[0]}" rx="3"/>'
        f'<text x="{BAR_WIDTH + 6}" y="{height / 2:.1f}" text-anchor="start" '
        f'dominant-baseline="central" fill="currentColor">{_esc(text)}</text>'
        "</svg>"
    )
