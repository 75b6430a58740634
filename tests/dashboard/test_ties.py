"""Ties are named: "most chosen" options and "most disputed" challenges."""

from __future__ import annotations

from decimal import Decimal

from consult.challenges.models import Challenge
from consult.challenges.services.priorities import PriorityResults
from consult.dashboard.services.surveys import _headline_text
from consult.surveys.results.stats import ChoiceRow, ChoiceStats


def _rows(*counts):
    n = sum(counts)
    return [
        ChoiceRow(i, label, c, c / n, Decimal(round(100 * c / n)))
        for i, (label, c) in enumerate(zip("ABC", counts, strict=False), start=1)
    ]


def test_most_chosen_names_every_option_tied_for_first(app):
    tied = ChoiceStats(5, _rows(2, 2, 1))
    assert (
        _headline_text("single_choice", tied) == "Most chosen, tied: A and B (40% each)"
    )
    three = ChoiceStats(3, _rows(1, 1, 1))
    # Each at 33%, though the column's largest remainder gives one of them 34.
    assert _headline_text("single_choice", three) == (
        "Most chosen, tied: A, B and C (33% each)"
    )
    alone = ChoiceStats(5, _rows(3, 1, 1))
    assert _headline_text("single_choice", alone) == "Most chosen: A (60%)"


def test_most_disputed_names_every_challenge_at_the_top_spread():
    challenges = [Challenge(id=i, title=t) for i, t in enumerate("XYZ", start=1)]
    results = PriorityResults(
        method="points",
        challenges=challenges,
        ballots=9,
        overall={},
        overall_shares={},
        by_type=[],
        spread={1: 0.3 - 0.1, 2: 0.4 - 0.2, 3: 0.05},
    )
    assert [c.title for c in results.most_disputed_tied] == ["X", "Y"]
    results.spread = {1: 0.0, 2: 0.0, 3: 0.0}
    assert results.most_disputed_tied == []


def test_first_ranked_and_highest_agreement_name_their_ties(app):
    from consult.surveys.results.stats import (
        MatrixStats,
        RankingStats,
        RankRow,
        ScaleStats,
        StatementStats,
    )

    ranking = RankingStats(
        4,
        [
            RankRow(1, "Repair", 1.5, 4, [2, 2, 0]),
            RankRow(2, "Reuse", 1.5, 4, [2, 2, 0]),
            RankRow(3, "Recycle", 3.0, 4, [0, 0, 4]),
        ],
    )
    assert _headline_text("ranking", ranking) == (
        "Ranked first on average, tied: Repair and Reuse (mean rank 1.5 each)"
    )

    def scale(mean):
        return ScaleStats(4, mean, mean, [])

    matrix = MatrixStats(
        4,
        [
            StatementStats(1, "Clear", scale(3.0)),
            StatementStats(2, "Useful", scale(4.5)),
            StatementStats(3, "Timely", scale(4.5)),
        ],
    )
    assert _headline_text("likert_matrix", matrix) == (
        "Highest agreement, tied: Useful and Timely (4.5 on 1–5 each)"
    )
