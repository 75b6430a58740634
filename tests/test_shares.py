"""Displayed percentages (consult/shares.py): decimal rounding, columns adding to 100."""

from __future__ import annotations

from decimal import Decimal

from consult.shares import percent, rounded_shares, tied_first


def test_a_share_is_rounded_half_up_from_the_counts_not_a_float_product():
    # 23 of 80 is 28.75%: the float product 100 * 0.2875 rounds to 28.7.
    assert round(100 * (23 / 80), 1) == 28.7
    assert percent(23, 80, 1) == Decimal("28.8")
    assert percent(1, 8) == Decimal("13")  # 12.5 half up
    assert percent(0, 0) is None


def test_shares_meant_to_add_to_100_do():
    # Rounded alone, three thirds give 99 and 2-2-2-1 of 7 give 101.
    assert sum(round(100 * n / 3) for n in (1, 1, 1)) == 99
    assert sum(round(100 * n / 7) for n in (2, 2, 2, 1)) == 101
    assert rounded_shares([1, 1, 1]) == [34, 33, 33]
    assert sum(rounded_shares([2, 2, 2, 1])) == 100
    assert rounded_shares([23, 57], 1) == [Decimal("28.8"), Decimal("71.2")]
    assert sum(rounded_shares([1, 1, 1], 1)) == Decimal("100.0")
    assert rounded_shares([0, 0]) == [0, 0]


def test_ties_for_first_are_all_named():
    assert tied_first([("a", 3), ("b", 5), ("c", 5)], key=lambda x: x[1]) == [
        ("b", 5),
        ("c", 5),
    ]
    assert tied_first([], key=lambda x: x) == []


def test_nps_is_shown_from_the_counts_half_up():
    from consult.surveys.results.stats import Nps

    nps = Nps(promoters=3, passives=3, detractors=2)  # (3 - 2) of 8 = 12.5
    assert round(nps.score) == 12  # the float, rounded half to even
    assert nps.shown == Decimal(13)
    assert Nps(1, 0, 1).shown == 0 and Nps(0, 0, 0).shown is None
