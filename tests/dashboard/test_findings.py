"""Findings in words (consult/dashboard/services/findings.py): rankings with
ties, most chosen options, divergence between the groups large enough to
compare, the view with each group weighted equally and its intervals.

Every expected figure is worked out by hand in the test."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from consult.challenges.models import Challenge
from consult.challenges.services.priorities import PriorityResults, TypeRow
from consult.dashboard.services.findings import (
    LARGE_SAMPLE,
    choice_finding,
    effective_size,
    priority_findings,
    rank,
    wilson,
)
from consult.shares import exact_percent, rounded_shares
from consult.surveys.models import SurveyQuestion
from consult.surveys.results.aggregate import Group, GroupResult, QuestionResult
from consult.surveys.results.stats import ChoiceRow, ChoiceStats

pytestmark = pytest.mark.usefixtures("app")

X, Y, Z = 1, 2, 3
TITLES = {X: "Construction", Y: "Digital", Z: "Food"}


def _results(groups: list[tuple[str, int, dict[int, int]]], method="points"):
    """PriorityResults of challenges X, Y, Z from (group, ballots, scores)."""
    challenges = [Challenge(id=cid, title=title) for cid, title in TITLES.items()]
    rows = [
        TypeRow(i, label, ballots, dict(scores))
        for i, (label, ballots, scores) in enumerate(groups, start=1)
    ]
    overall = {cid: sum(row.scores.get(cid, 0) for row in rows) for cid in TITLES}
    return PriorityResults(
        method=method,
        challenges=challenges,
        ballots=sum(row.ballots for row in rows),
        overall=overall,
        overall_shares={},
        by_type=rows,
        spread={},
    )


def _places(places):
    return [(p.place, p.names, p.score) for p in places]


# --- rankings -------------------------------------------------------------


def test_a_two_way_tie_shares_a_place_and_the_next_place_skips():
    places = rank(
        [(1, "A", 40), (2, "Construction", 88), (3, "Digital", 88), (4, "B", 90)]
    )
    assert _places(places) == [
        (1, ["B"], 90),
        (2, ["Construction", "Digital"], 88),
        (4, ["A"], 40),
    ]
    results = _results(
        [("Government", 6, {X: 88, Y: 88, Z: 90})],
    )
    found = priority_findings(results, min_group=5)
    assert found.overall.sentences == [
        "Place 1: Food, 90 points",
        "Construction and Digital tie for place 2, 88 points each",
    ]


def test_a_three_way_tie_for_third_names_all_three_in_the_given_order():
    places = rank(
        [(1, "A", 7), (2, "B", 9), (3, "C", 7), (4, "D", 10), (5, "E", 7), (6, "F", 1)]
    )
    assert _places(places) == [
        (1, ["D"], 10),
        (2, ["B"], 9),
        (3, ["A", "C", "E"], 7),
        (6, ["F"], 1),
    ]


def test_all_tied_is_one_place_for_everyone():
    results = _results([("Government", 5, {X: 20, Y: 20, Z: 20})])
    found = priority_findings(results, min_group=5)
    assert _places(found.overall.places) == [
        (1, ["Construction", "Digital", "Food"], 20)
    ]
    assert found.overall.sentences == [
        "Construction, Digital and Food tie for place 1, 20 points each"
    ]


def test_challenges_without_points_tie_for_last_place_and_say_zero():
    results = _results([("Government", 1, {X: 10})])
    found = priority_findings(results, min_group=5)
    assert found.overall.sentences == [
        "Place 1: Construction, 10 points",
        "Digital and Food tie for place 2, 0 points each",
    ]
    assert rank([(1, "A", 0), (2, "B", 0)])[0].place == 1


def test_the_ranking_follows_scores_not_the_challenges_order():
    results = _results([("Government", 5, {X: 10, Y: 25, Z: 15})])
    found = priority_findings(results, min_group=5)
    assert [p.names for p in found.overall.places] == [
        ["Digital"],
        ["Food"],
        ["Construction"],
    ]
    ranked = _results([("Government", 5, {X: 1, Y: 3, Z: 2})], method="ranking")
    assert priority_findings(ranked, min_group=5).overall.sentences[0] == (
        "Place 1: Digital, rank score 3"
    )


# --- groups, divergence, weighted priorities --------------------------------

# Government 6 ballots (60 points), private sector 5 (50), civil society 1 (10).
GROUPS = [
    ("Government", 6, {X: 30, Y: 20, Z: 10}),
    ("Private sector", 5, {X: 10, Y: 30, Z: 10}),
    ("Civil society", 1, {X: 0, Y: 0, Z: 10}),
]


def test_small_groups_are_not_ranked_on_their_own_but_count_overall():
    found = priority_findings(_results(GROUPS), min_group=5)
    # Overall: X 40, Y 50, Z 30 (the civil society ballot included).
    assert found.overall.sentences == [
        "Place 1: Digital, 50 points",
        "Place 2: Construction, 40 points",
        "Place 3: Food, 30 points",
    ]
    assert [r.label for r in found.by_group] == ["Government", "Private sector"]
    assert found.by_group[1].sentences[0] == "Place 1: Digital, 30 points"
    assert found.small_groups == ["Civil society"]


def test_divergence_ignores_groups_below_the_threshold_and_names_those_compared():
    found = priority_findings(_results(GROUPS), min_group=5)
    d = found.divergence
    assert d.groups == ["Government", "Private sector"]
    assert d.groups_text == "Government and Private sector"
    # Government: X 1/2, Y 1/3, Z 1/6; private sector: X 1/5, Y 3/5, Z 1/5.
    assert d.spreads == {
        X: Fraction(30),  # 50 - 20
        Y: Fraction(80, 3),  # 60 - 33.33
        Z: Fraction(10, 3),  # 20 - 16.67
    }
    assert d.shown == {X: Decimal(30), Y: Decimal(27), Z: Decimal(3)}
    assert [c.title for c in d.most] == ["Construction"]
    assert d.most_sentence() == "Most disputed: Construction (30 percentage points)."
    # Counting the one-ballot group would make Food's spread 100 - 16.67.
    every = priority_findings(_results(GROUPS), min_group=1).divergence
    assert every.shown[Z] == Decimal(83)


def test_divergence_names_ties_and_says_when_fewer_than_two_groups_qualify():
    tied = _results(
        [("Government", 5, {X: 10, Y: 0, Z: 0}), ("Research", 5, {X: 0, Y: 10, Z: 0})]
    )
    d = priority_findings(tied, min_group=5).divergence
    assert [c.title for c in d.most] == ["Construction", "Digital"]
    assert d.most_sentence() == (
        "Most disputed, tied: Construction and Digital (100 percentage points each)."
    )
    alone = priority_findings(_results(GROUPS), min_group=6).divergence
    assert not alone.comparable
    assert alone.groups == ["Government"]
    assert alone.most == [] and alone.most_sentence() is None


def test_weighted_priorities_average_the_groups_shares():
    found = priority_findings(_results(GROUPS), min_group=5)
    assert found.weighted_groups == ["Government", "Private sector"]
    # X (1/2 + 1/5)/2 = 7/20, Y (1/3 + 3/5)/2 = 7/15, Z (1/6 + 1/5)/2 = 11/60.
    assert found.weighted == {
        X: Fraction(7, 20),
        Y: Fraction(7, 15),
        Z: Fraction(11, 60),
    }
    # 35.0 + 46.67 + 18.33 with one decimal: floors 35.0, 46.6, 18.3; the
    # missing tenth to the largest remainder, 46.67.
    assert found.weighted_shown == {
        X: Decimal("35.0"),
        Y: Decimal("46.7"),
        Z: Decimal("18.3"),
    }
    assert found.weighted_sentences == [
        "Place 1: Digital, 46.7%",
        "Place 2: Construction, 35.0%",
        "Place 3: Food, 18.3%",
    ]
    assert not found.weighted_differs
    assert found.small_sample  # 12 ballots


def test_weighting_the_groups_equally_can_change_the_order():
    results = _results(
        [
            ("Government", 20, {X: 150, Y: 40, Z: 10}),
            ("Private sector", 5, {X: 5, Y: 40, Z: 5}),
        ]
    )
    found = priority_findings(results, min_group=5)
    assert found.overall.places[0].names == ["Construction"]  # 155 of 250
    # X (3/4 + 1/10)/2 = 42.5%, Y (1/5 + 4/5)/2 = 50%, Z (1/20 + 1/10)/2 = 7.5%.
    assert found.weighted[Y] == Fraction(1, 2)
    assert found.weighted_ranking[0].names == ["Digital"]
    assert found.weighted_differs
    assert found.small_sample  # 25 ballots, fewer than LARGE_SAMPLE (30)


# --- shares ---------------------------------------------------------------


def test_largest_remainder_over_exact_fractions():
    thirds = [Fraction(7, 20), Fraction(7, 15), Fraction(11, 60)]
    assert rounded_shares(thirds) == [35, 47, 18]
    assert rounded_shares(thirds, 1) == [
        Decimal("35.0"),
        Decimal("46.7"),
        Decimal("18.3"),
    ]
    assert sum(rounded_shares(thirds, 1)) == Decimal("100.0")
    # Whole counts behave as before: 2-2-2-1 of 7 add to 100, not 101.
    assert rounded_shares([2, 2, 2, 1]) == [29, 29, 28, 14]
    assert exact_percent(Fraction(23, 80), 1) == Decimal("28.8")  # not 28.7


# --- survey choices -------------------------------------------------------


def _question(kind, groups, labels=("A", "B")):
    """A choice question's result from {group: (n, [counts per option])}."""
    question = SurveyQuestion(id=1, text="Your focus?", kind=kind)

    def stats(n, counts):
        shown = (
            rounded_shares(counts)
            if kind == "single_choice"
            else [exact_percent(Fraction(c, n)) for c in counts]
        )
        return ChoiceStats(
            n,
            [
                ChoiceRow(i, label, c, c / n, p)
                for i, (label, c, p) in enumerate(
                    zip(labels, counts, shown, strict=True), start=1
                )
            ],
        )

    n = sum(g_n for g_n, _c in groups.values())
    totals = [sum(c[i] for _n, c in groups.values()) for i in range(len(labels))]
    results = [
        GroupResult(Group(key, label), g_n, False, stats(g_n, counts))
        for key, (label, (g_n, counts)) in enumerate(groups.items(), start=1)
    ]
    return QuestionResult(question, n, False, stats(n, totals), results)


def _wilson_by_hand(x, n, z=1.959963984540054):
    centre = x + z * z / 2
    half = z * math.sqrt(x * (n - x) / n + z * z / 4)
    return ((centre - half) / (n + z * z), (centre + half) / (n + z * z))


def test_most_chosen_names_ties_never_the_first_in_list_order():
    q = _question(
        "single_choice", {"Government": (25, [10, 10, 5])}, labels=("A", "B", "C")
    )
    found = choice_finding(q, min_group=5, other_label="Other")
    assert [o.label for o in found.most_chosen] == ["A", "B"]
    assert found.most_chosen_sentence() == "Most chosen, tied: A and B (40% each)"
    single = _question(
        "single_choice", {"Government": (25, [5, 12, 8])}, ("A", "B", "C")
    )
    assert choice_finding(
        single, min_group=5, other_label="Other"
    ).most_chosen_sentence() == ("Most chosen: B (48%)")


def test_weighted_shares_and_wilson_intervals_by_hand():
    q = _question(
        "single_choice",
        {
            "Government": (40, [30, 10]),
            "Private sector": (10, [2, 8]),
            "Civil society": (2, [0, 2]),
        },
    )
    found = choice_finding(q, min_group=5, other_label="Other")
    a, b = found.options
    # Raw: 32 and 20 of 52 = 61.54 and 38.46: largest remainder 62, 38.
    assert (a.count, a.share, b.share) == (32, Decimal(62), Decimal(38))
    low, high = _wilson_by_hand(32, 52)
    assert wilson(32 / 52, 52) == pytest.approx((low, high))
    assert (a.interval.low, a.interval.high) == (Decimal(47), Decimal(74))
    assert (math.floor(100 * low), math.ceil(100 * high)) == (47, 74)
    # Weighted over government and private sector (civil society: 2 < 5):
    # A (30/40 + 2/10)/2 = 47.5%, B (10/40 + 8/10)/2 = 52.5%.
    assert found.weighted_groups == ["Government", "Private sector"]
    assert found.small_groups == ["Civil society"]
    assert (a.weighted, b.weighted) == (Fraction(19, 40), Fraction(21, 40))
    assert (a.weighted_shown, b.weighted_shown) == (Decimal("47.5"), Decimal("52.5"))
    # n_eff = 2² / (1/40 + 1/10) = 32.
    assert found.effective_n == Fraction(32) == effective_size([40, 10])
    w_low, w_high = _wilson_by_hand(0.525 * 32, 32)
    assert (b.weighted_interval.low, b.weighted_interval.high) == (
        math.floor(100 * w_low),
        math.ceil(100 * w_high),
    )
    assert (b.weighted_interval.low, b.weighted_interval.high) == (35, 69)
    assert found.most_chosen_sentence() == "Most chosen: A (62%)"
    assert found.weighted_sentence() == (
        "Most chosen, each group weighted equally: B (52.5%)"
    )


def test_small_samples_get_no_interval():
    q = _question(
        "single_choice", {"Government": (10, [6, 4]), "Research": (6, [1, 5])}
    )
    found = choice_finding(q, min_group=5, other_label="Other")
    assert found.n < LARGE_SAMPLE and not found.interval_shown
    assert all(
        o.interval is None and o.weighted_interval is None for o in found.options
    )
    # Weighted: A (6/10 + 1/6)/2 = 23/60 = 38.33%, B 61.67%.
    assert [o.weighted_shown for o in found.options] == [
        Decimal("38.3"),
        Decimal("61.7"),
    ]
    assert found.weighted_sentence() == (
        "Most chosen, each group weighted equally: B (61.7%)"
    )


def test_weighted_ties_and_multiple_choice_shares_are_each_rounded():
    q = _question(
        "multiple_choice",
        {"Government": (8, [4, 8]), "Research": (5, [5, 1])},
    )
    found = choice_finding(q, min_group=5, other_label="Other")
    # A (4/8 + 5/5)/2 = 3/4, B (8/8 + 1/5)/2 = 3/5: each half up, not to 100.
    assert [o.weighted_shown for o in found.options] == [
        Decimal("75.0"),
        Decimal("60.0"),
    ]
    tied = _question(
        "single_choice", {"Government": (8, [4, 4]), "Research": (6, [3, 3])}
    )
    assert choice_finding(
        tied, min_group=5, other_label="Other"
    ).weighted_sentence() == (
        "Most chosen, each group weighted equally, tied: A and B (50.0% each)"
    )
    nobody = _question("single_choice", {"Government": (2, [1, 1])})
    small = choice_finding(nobody, min_group=5, other_label="Other")
    assert small.weighted_groups == [] and small.weighted_sentence() is None


def test_one_group_large_enough_is_no_weighted_view():
    # Only Government has 5 ballots: "each group weighted equally" would be
    # Government's own shares under a label that promises a balance of groups.
    alone = priority_findings(_results(GROUPS), min_group=6)
    assert [r.label for r in alone.by_group] == ["Government"]
    assert alone.weighted_groups == [] and alone.weighted == {}
    assert alone.weighted_sentences == [] and alone.weighted_ranking == []
    q = _question(
        "single_choice",
        {"Government": (8, [5, 3]), "Research": (3, [0, 3]), "Youth": (1, [0, 1])},
    )
    found = choice_finding(q, min_group=5, other_label="Other")
    assert found.weighted_groups == []
    assert found.weighted_sentence() is None
    assert [o.weighted_shown for o in found.options] == [None, None]
    assert found.small_groups == ["Research", "Youth"]
