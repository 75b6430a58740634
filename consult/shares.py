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
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HUNDRED = Decimal(100)


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def percent(part: int, whole: int, places: int = 0) -> Decimal | None:
    """``part`` of ``whole`` in percent, rounded half up; None when whole is 0."""
    if not whole:
        return None
    exact = Decimal(part) * HUNDRED / Decimal(whole)
    return exact.quantize(_unit(places), rounding=ROUND_HALF_UP)


def exact_percent(value: Fraction, places: int = 0) -> Decimal:
    """An exact fraction of 1 (e.g. a weighted share) in percent, half up."""
    exact = Decimal(value.numerator) * HUNDRED / Decimal(value.denominator)
    return exact.quantize(_unit(places), rounding=ROUND_HALF_UP)


def rounded_shares(counts: Sequence[int | Fraction], places: int = 0) -> list[Decimal]:
    """Percentages of ``counts`` that add to exactly 100 (largest remainder).

    The counts are whole numbers or exact fractions (weighted counts); all
    zeros when they add to nothing.
    """
    unit = _unit(places)
    total = sum(Fraction(c) for c in counts)
    if not total:
        return [Decimal(0).quantize(unit) for _c in counts]
    scale = 10**places
    # Shares in units of the last shown place, exactly.
    exact = [Fraction(c) * 100 * scale / total for c in counts]
    floors = [value.numerator // value.denominator for value in exact]
    missing = 100 * scale - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [(Decimal(units) * unit).quantize(unit) for units in floors]


def tied_first(items: Sequence, key) -> list:
    """The items sharing the highest ``key`` (in their given order); [] if none."""
    if not items:
        return []
    best = max(key(item) for item in items)
    return [item for item in items if key(item) == best]
