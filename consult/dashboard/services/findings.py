"""Findings in words: rankings with ties, divergence, a group-weighted view.

Pure functions over the aggregates the dashboard and the report already load
(``PriorityResults``, ``SurveyResults``): no query here, so each rule is
tested with numbers worked out by hand.

- **Rankings** are by score, highest first, with standard competition places:
  challenges with the same score share a place and the next place skips
  ("A 1st; B and C tie for place 2; D 4th"). Nothing is ever "first in list
  order".
- **Stakeholder groups** are ranked on their own, and compared, only with at
  least ``min_group`` ballots (the SMALL_GROUP_MIN setting); smaller groups
  still count in the overall figures.
- **Divergence** of a challenge is the highest minus the lowest share of a
  group's points that it received, among the groups that qualify; with fewer
  than two such groups there is no divergence to state.
- **Each group weighted equally**: a challenge's weighted share is the
  average, over the qualifying groups, of the share of that group's points it
  received; an option's weighted share is the average of the groups' shares
  of respondents who chose it. Like divergence, it needs at least two
  qualifying groups: "weighted equally" over one group would be that group's
  own shares under a label promising a balance. Exact fractions throughout; displayed with
  ``consult.shares`` (largest remainder where the shares add to 100), with
  one decimal.
- **95% intervals** of survey shares: the Wilson score interval. For a
  weighted share the sample size is Kish's effective sample size of the
  weights (each respondent of group g weighs 1 / (G n_g), so
  n_eff = G² / Σ 1/n_g). An interval is given only from ``LARGE_SAMPLE``
  (effective) respondents; below that a small-sample warning instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.shares import exact_percent, rounded_shares

# Below this many respondents (effective, for weighted shares) no interval.
LARGE_SAMPLE = 30
# Weighted shares are averages, not counts: one decimal keeps close ones apart.
WEIGHTED_PLACES = 1
Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile
CHOICE_KINDS = ("single_choice", "multiple_choice")


# --- rankings -------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One place of a ranking: every item with that score (ties share it)."""

    place: int  # 1 = first; tied items share a place, the next one skips
    keys: list
    names: list[str]
    score: int | Fraction

    @property
    def tied(self) -> bool:
        return len(self.names) > 1


def rank(entries: Sequence[tuple[Hashable, str, int | Fraction]]) -> list[Place]:
    """(key, name, score) ranked by score, highest first; equal scores share a
    place (kept in their given order inside it) and the next place skips."""
    ordered = sorted(enumerate(entries), key=lambda pair: (-pair[1][2], pair[0]))
    places: list[Place] = []
    for position, (_i, (key, name, score)) in enumerate(ordered, start=1):
        if places and places[-1].score == score:
            places[-1].keys.append(key)
            places[-1].names.append(name)
        else:
            places.append(Place(position, [key], [name], score))
    return places


def names_and(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def place_sentence(place: Place, score: str) -> str:
    """'Place 1: Food waste, 40 points' or 'A and B tie for place 2, 30 points each'."""
    if place.tied:
        return _(
            "%(names)s tie for place %(place)d, %(score)s each",
            names=names_and(place.names),
            place=place.place,
            score=score,
        )
    return _(
        "Place %(place)d: %(name)s, %(score)s",
        place=place.place,
        name=place.names[0],
        score=score,
    )


def points_text(method: str, score: int) -> str:
    if method == "ranking":
        return _("rank score %(score)d", score=score)
    return ngettext("%(num)d point", "%(num)d points", score)


def share_text(share: Decimal) -> str:
    return _("%(share)s%%", share=share)


# --- priorities -----------------------------------------------------------


@dataclass
class Ranking:
    label: str | None  # None: all stakeholder groups
    ballots: int
    places: list[Place]
    sentences: list[str]


@dataclass
class Divergence:
    groups: list[str]  # the groups compared (at or above the threshold)
    spreads: dict[int, Fraction]  # challenge id -> percentage points, exact
    shown: dict[int, Decimal]  # the same, rounded half up to whole points
    most: list  # the challenges at the largest spread (ties named); [] if none

    @property
    def comparable(self) -> bool:
        return len(self.groups) > 1

    @property
    def groups_text(self) -> str:
        return names_and(self.groups)

    def most_sentence(self) -> str | None:
        """'Most disputed: X (40 percentage points).', ties named; None if none."""
        if not self.most:
            return None
        points = int(self.shown[self.most[0].id])
        if len(self.most) == 1:
            return ngettext(
                "Most disputed: %(title)s (%(num)d percentage point).",
                "Most disputed: %(title)s (%(num)d percentage points).",
                points,
                title=self.most[0].title,
            )
        return ngettext(
            "Most disputed, tied: %(titles)s (%(num)d percentage point each).",
            "Most disputed, tied: %(titles)s (%(num)d percentage points each).",
            points,
            titles=names_and([c.title for c in self.most]),
        )


@dataclass
class PriorityFindings:
    method: str
    min_group: int
    overall: Ranking
    by_group: list[Ranking]
    small_groups: list[str]  # groups with ballots, too few to rank or compare
    divergence: Divergence
    weighted_groups: list[str]
    weighted: dict[int, Fraction]  # challenge id -> weighted share, 0..1
    weighted_shown: dict[int, Decimal]  # in percent, adding to 100
    weighted_ranking: list[Place]
    weighted_sentences: list[str]
    small_sample: bool  # fewer than LARGE_SAMPLE ballots in all
    large_sample: int = LARGE_SAMPLE

    @property
    def small_groups_text(self) -> str:
        return names_and(self.small_groups)

    @property
    def weighted_groups_text(self) -> str:
        return names_and(self.weighted_groups)

    @property
    def weighted_differs(self) -> bool:
        """True when weighting the groups equally changes the order."""
        return [p.keys for p in self.weighted_ranking] != [
            p.keys for p in self.overall.places
        ]


def _ranking(
    results, label: str | None, ballots: int, scores: dict[int, int]
) -> Ranking:
    places = rank([(c.id, c.title, scores.get(c.id, 0)) for c in results.challenges])
    sentences = [
        place_sentence(p, points_text(results.method, int(p.score))) for p in places
    ]
    return Ranking(label, ballots, places, sentences)


def qualifying_groups(rows, min_group: int) -> tuple[list, list]:
    """The groups counted on their own (at least ``min_group`` ballots and some
    points) and the names of those with ballots but too few."""
    voting = [row for row in rows if row.ballots]
    big = [r for r in voting if r.ballots >= min_group and sum(r.scores.values())]
    small = [row.label for row in voting if row.ballots < min_group]
    return big, small


def group_shares(results, row) -> dict[int, Fraction]:
    """The exact share of the group's points each challenge received."""
    total = sum(row.scores.get(c.id, 0) for c in results.challenges)
    return {
        c.id: Fraction(row.scores.get(c.id, 0), total) if total else Fraction(0)
        for c in results.challenges
    }


def divergence(results, groups: list) -> Divergence:
    """Highest minus lowest group share per challenge, among ``groups``."""
    names = [row.label for row in groups]
    if len(groups) < 2:
        return Divergence(names, {}, {}, [])
    shares = [group_shares(results, row) for row in groups]
    spreads = {
        c.id: 100 * (max(s[c.id] for s in shares) - min(s[c.id] for s in shares))
        for c in results.challenges
    }
    shown = {cid: exact_percent(value / 100) for cid, value in spreads.items()}
    top = max(spreads.values(), default=Fraction(0))
    most = [c for c in results.challenges if top > 0 and spreads[c.id] == top]
    return Divergence(names, spreads, shown, most)


def weighted_priorities(results, groups: list) -> dict[int, Fraction]:
    """Each challenge's share of the points with every group weighing the same
    (none with fewer than two groups: there is nothing to balance)."""
    if len(groups) < 2:
        return {}
    shares = [group_shares(results, row) for row in groups]
    return {
        c.id: sum((s[c.id] for s in shares), Fraction(0)) / len(groups)
        for c in results.challenges
    }


def priority_findings(results, *, min_group: int) -> PriorityFindings:
    """The priorities' rankings, divergence and weighted view, in words."""
    overall = _ranking(results, None, results.ballots, results.overall)
    groups, small = qualifying_groups(results.by_type, min_group)
    by_group = [_ranking(results, row.label, row.ballots, row.scores) for row in groups]
    weighted = weighted_priorities(results, groups)
    ids = [c.id for c in results.challenges]
    shown = (
        dict(
            zip(
                ids,
                rounded_shares([weighted[i] for i in ids], WEIGHTED_PLACES),
                strict=True,
            )
        )
        if weighted
        else {}
    )
    places = (
        rank([(c.id, c.title, weighted[c.id]) for c in results.challenges])
        if weighted
        else []
    )
    sentences = [
        place_sentence(p, share_text(shown[p.keys[0]]))
        if not p.tied
        else place_sentence(p, share_text(shown_tie(p.score)))
        for p in places
    ]
    return PriorityFindings(
        method=results.method,
        min_group=min_group,
        overall=overall,
        by_group=by_group,
        small_groups=small,
        divergence=divergence(results, groups),
        weighted_groups=[row.label for row in groups] if weighted else [],
        weighted=weighted,
        weighted_shown=shown,
        weighted_ranking=places,
        weighted_sentences=sentences,
        small_sample=results.ballots < LARGE_SAMPLE,
    )


def shown_tie(value: Fraction) -> Decimal:
    """A share that several items have alike: rounded half up, the same for each
    (the column's largest remainder would round them differently)."""
    return exact_percent(value, WEIGHTED_PLACES)


# --- surveys --------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    low: Decimal  # percent, rounded down
    high: Decimal  # percent, rounded up


def wilson(share: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``share`` over ``n`` (0..1)."""
    if n <= 0:
        return (0.0, 1.0)
    z2 = z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def interval_percent(bounds: tuple[float, float]) -> Interval:
    """Bounds in percent, rounded outwards to whole points."""
    low, high = (Decimal(repr(100 * b)) for b in bounds)
    return Interval(
        low.quantize(Decimal(1), rounding=ROUND_FLOOR),
        high.quantize(Decimal(1), rounding=ROUND_CEILING),
    )


def effective_size(sizes: Sequence[int]) -> Fraction:
    """Kish's effective sample size when each of the G groups weighs 1/G:
    G² / Σ 1/n_g."""
    if not sizes or any(n <= 0 for n in sizes):
        return Fraction(0)
    return Fraction(len(sizes) ** 2) / sum(Fraction(1, n) for n in sizes)


@dataclass
class OptionFinding:
    key: int | None
    label: str
    count: int
    share: Decimal  # as shown elsewhere (largest remainder for a single choice)
    interval: Interval | None  # None: sample too small
    weighted: Fraction | None  # None: no qualifying group
    weighted_shown: Decimal | None
    weighted_interval: Interval | None


@dataclass
class ChoiceFinding:
    question: str
    kind: str
    n: int
    options: list[OptionFinding]
    most_chosen: list[OptionFinding]  # ties named; [] when nobody chose any
    weighted_groups: list[str]
    effective_n: Fraction
    small_groups: list[str] = field(default_factory=list)  # left out of the weights
    question_id: int | None = None  # its place in the report

    @property
    def weighted_groups_text(self) -> str:
        return names_and(self.weighted_groups)

    @property
    def small_groups_text(self) -> str:
        return names_and(self.small_groups)

    @property
    def interval_shown(self) -> bool:
        return self.n >= LARGE_SAMPLE

    @property
    def weighted_interval_shown(self) -> bool:
        return bool(self.weighted_groups) and self.effective_n >= LARGE_SAMPLE

    @property
    def weighted_most_chosen(self) -> list[OptionFinding]:
        scored = [o for o in self.options if o.weighted]
        if not scored:
            return []
        top = max(o.weighted for o in scored)
        return [o for o in scored if o.weighted == top]

    def most_chosen_sentence(self) -> str | None:
        return _most_sentence(self.most_chosen, lambda o: o.count, self.n)

    def weighted_sentence(self) -> str | None:
        top = self.weighted_most_chosen
        if not top:
            return None
        if len(top) == 1:
            return _(
                "Most chosen, each group weighted equally: %(label)s (%(share)s%%)",
                label=top[0].label,
                share=top[0].weighted_shown,
            )
        return _(
            "Most chosen, each group weighted equally, tied: %(labels)s "
            "(%(share)s%% each)",
            labels=names_and([o.label for o in top]),
            share=exact_percent(top[0].weighted, WEIGHTED_PLACES),
        )


def _most_sentence(top: list[OptionFinding], count: Callable, n: int) -> str | None:
    if not top:
        return None
    if len(top) == 1:
        return _(
            "Most chosen: %(label)s (%(share)s%%)",
            label=top[0].label,
            share=top[0].share,
        )
    return _(
        "Most chosen, tied: %(labels)s (%(share)s%% each)",
        labels=names_and([o.label for o in top]),
        share=exact_percent(Fraction(count(top[0]), n)),
    )


def _group_counts(group_result) -> dict:
    return {row.option_id: row.count for row in group_result.stats.rows}


def choice_finding(result, *, min_group: int, other_label: str) -> ChoiceFinding | None:
    """Raw and group-weighted shares of a choice question, with intervals;
    None for another kind of question, or one hidden or unanswered."""
    stats = result.overall
    if result.kind not in CHOICE_KINDS or result.hidden or stats is None:
        return None
    if not result.n:
        return None
    groups = [
        g
        for g in result.groups
        if g.group.key is not None and not g.hidden and g.stats is not None and g.n
    ]
    large = [g for g in groups if g.n >= min_group]
    large_keys = {g.group.key for g in large}
    small = [
        g.group.label
        for g in result.groups
        if g.n and (g.group.key is None or g.group.key not in large_keys)
    ]
    weighted_groups = large if len(large) > 1 else []  # one alone: nothing to weigh
    per_group = [(_group_counts(g), g.n) for g in weighted_groups]
    weights = {
        row.option_id: (
            sum(
                (Fraction(c.get(row.option_id, 0), n) for c, n in per_group),
                Fraction(0),
            )
            / len(per_group)
            if per_group
            else None
        )
        for row in stats.rows
    }
    if result.kind == "single_choice" and per_group:
        shown_weighted = rounded_shares(
            [weights[row.option_id] for row in stats.rows], WEIGHTED_PLACES
        )
    else:
        shown_weighted = [
            exact_percent(weights[row.option_id], WEIGHTED_PLACES)
            if per_group
            else None
            for row in stats.rows
        ]
    n_eff = effective_size([n for _c, n in per_group])
    options = []
    for row, weighted_shown in zip(stats.rows, shown_weighted, strict=True):
        weighted = weights[row.option_id]
        options.append(
            OptionFinding(
                key=row.option_id,
                label=row.label if row.option_id is not None else other_label,
                count=row.count,
                share=row.percent,
                interval=(
                    interval_percent(wilson(row.count / result.n, result.n))
                    if result.n >= LARGE_SAMPLE
                    else None
                ),
                weighted=weighted,
                weighted_shown=weighted_shown,
                weighted_interval=(
                    interval_percent(wilson(float(weighted), float(n_eff)))
                    if weighted is not None and n_eff >= LARGE_SAMPLE
                    else None
                ),
            )
        )
    top_count = max((o.count for o in options), default=0)
    most = [o for o in options if top_count and o.count == top_count]
    return ChoiceFinding(
        question=result.question.text,
        question_id=result.question.id,
        kind=result.kind,
        n=result.n,
        options=options,
        most_chosen=most,
        weighted_groups=[g.group.label for g in weighted_groups],
        effective_n=n_eff,
        small_groups=small,
    )


@dataclass
class SurveyFindings:
    survey: object
    choices: list[ChoiceFinding]
    means: list = field(default_factory=list)  # findings_means.MeanFinding


def survey_findings(summaries, *, min_group: int) -> list[SurveyFindings]:
    """The choice and scale questions of every survey shown, with their findings."""
    # Inline: findings_means builds on this module (names_and, LARGE_SAMPLE).
    from consult.dashboard.services.findings_means import mean_finding

    out = []
    for summary in summaries:
        results = summary.results
        if results.hidden:
            continue
        choices = [
            f
            for f in (
                choice_finding(q, min_group=min_group, other_label=_("Other"))
                for q in results.questions
            )
            if f is not None
        ]
        means = [
            f
            for f in (mean_finding(q, min_group=min_group) for q in results.questions)
            if f is not None
        ]
        if choices or means:
            out.append(SurveyFindings(summary.survey, choices, means))
    return out


# --- both -----------------------------------------------------------------


@dataclass
class Findings:
    priorities: PriorityFindings | None
    surveys: list[SurveyFindings]
    min_group: int
    large_sample: int = LARGE_SAMPLE


def findings(priorities, surveys, *, min_group: int) -> Findings:
    """Every finding of the report and the dashboard."""
    return Findings(
        priorities=(
            priority_findings(priorities, min_group=min_group)
            if priorities.ballots
            else None
        ),
        surveys=survey_findings(surveys, min_group=min_group),
        min_group=min_group,
    )
