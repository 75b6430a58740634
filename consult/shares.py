"""Displayed percentages: exact decimal rounding, and columns that add to 100.

Shares are computed from whole counts with ``Decimal``, never from a float
product: 23 of 80 is 28.75%, shown as 28.8 (half up), where
``round(100 * 0.2875, 1)`` gives 28.7 because the float is 28.749999…

Where the percentages of one column are meant to add to 100 (the options of
a single choice, the challenges' shares of all points, the stakeholder types'
shares of the participants), ``rounded_shares`` uses the largest-remainder
method: each share is rounded down, and the units still missing go to the
largest remainders (ties to the first), so the column adds to exactly 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def percent(part: int, whole: int, places: int = 0) -> Decimal | None:
    """``part`` of ``whole`` in percent, rounded half up; None when whole is 0."""
    if not whole:
        return None
    exact = Decimal(part) * HUNDRED / Decimal(whole)
    return exact.quantize(_unit(places), rounding=ROUND_HALF_UP)


def rounded_shares(counts: Sequence[int], places: int = 0) -> list[Decimal]:
    """Percentages of ``counts`` that add to exactly 100 (largest remainder).

    All zeros when the counts add to nothing.
    """
    unit = _unit(places)
    total = sum(counts)
    if not total:
        return [Decimal(0).quantize(unit) for _c in counts]
    exact = [Decimal(n) * HUNDRED / Decimal(total) for n in counts]
    floors = [value.quantize(unit, rounding=ROUND_FLOOR) for value in exact]
    missing = int((HUNDRED - sum(floors)) / unit)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += unit
    return floors


def tied_first(items: Sequence, key) -> list:
    """The items sharing the highest ``key`` (in their given order); [] if none."""
    if not items:
        return []
    best = max(key(item) for item in items)
    return [item for item in items if key(item) == best]
