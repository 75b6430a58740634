"""Survey averages with each stakeholder group weighted equally.

A scale question's headline (``surveys.headline``) is its average; beside it,
the average of the groups' averages, over the groups shown on their own with
at least ``min_group`` answers (at least two such groups, as for the weighted
shares of a choice question in ``findings``), so that the group that
registered most does not decide the figure. Exact fractions from the answer
counts, shown with one decimal, half up. No interval is given for averages;
fewer than ``LARGE_SAMPLE`` answers are flagged as a small sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from consult.dashboard.services.findings import LARGE_SAMPLE, names_and
from consult.shares import exact_percent

MEAN_KINDS = ("likert", "rating")
MEAN_PLACES = 1


def exact_mean(stats) -> Fraction | None:
    """The average of a scale question's answers, exactly, from its counts."""
    n = sum(count for _value, count in stats.distribution)
    if not n:
        return None
    total = sum(
        (Fraction(value) * count for value, count in stats.distribution), Fraction(0)
    )
    return total / n


def shown_mean(value: Fraction) -> Decimal:
    """An average with one decimal, half up (``exact_percent`` of a hundredth)."""
    return exact_percent(value / 100, MEAN_PLACES)


@dataclass
class MeanFinding:
    question: str
    kind: str
    n: int
    mean: Decimal
    weighted: Decimal | None  # None: fewer than two groups large enough
    weighted_groups: list[str]
    small_groups: list[str] = field(default_factory=list)
    large_sample: int = LARGE_SAMPLE
    question_id: int | None = None  # its place in the report

    @property
    def weighted_groups_text(self) -> str:
        return names_and(self.weighted_groups)

    @property
    def small_groups_text(self) -> str:
        return names_and(self.small_groups)

    @property
    def small_sample(self) -> bool:
        return self.n < self.large_sample

    def mean_sentence(self) -> str:
        if self.kind == "rating":
            return _("Average %(mean).1f out of 10", mean=self.mean)
        return _("Average %(mean).1f on a 1–5 scale", mean=self.mean)

    def weighted_sentence(self) -> str | None:
        if self.weighted is None:
            return None
        if self.kind == "rating":
            return _(
                "Average, each group weighted equally: %(mean)s out of 10",
                mean=self.weighted,
            )
        return _(
            "Average, each group weighted equally: %(mean)s on a 1–5 scale",
            mean=self.weighted,
        )


def mean_finding(result, *, min_group: int) -> MeanFinding | None:
    """The raw and group-weighted average of a likert or rating question; None
    for another kind, or a question hidden or unanswered."""
    if result.kind not in MEAN_KINDS or result.hidden or result.overall is None:
        return None
    mean = exact_mean(result.overall)
    if mean is None:
        return None
    shown = [
        g
        for g in result.groups
        if g.group.key is not None and not g.hidden and g.stats is not None
    ]
    large = [g for g in shown if g.n >= min_group and exact_mean(g.stats) is not None]
    keys = {g.group.key for g in large}
    small = [
        g.group.label
        for g in result.groups
        if g.n and (g.group.key is None or g.group.key not in keys)
    ]
    weighted = None
    if len(large) > 1:
        means = [exact_mean(g.stats) for g in large]
        weighted = shown_mean(sum(means, Fraction(0)) / len(means))
    return MeanFinding(
        question=result.question.text,
        question_id=result.question.id,
        kind=result.kind,
        n=result.n,
        mean=shown_mean(mean),
        weighted=weighted,
        weighted_groups=[g.group.label for g in large] if weighted is not None else [],
        small_groups=small,
    )
