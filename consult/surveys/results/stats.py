"""Per-question statistics built from grouped counts (no rows of answers).

The SQL in aggregate.py returns, per question, option, stakeholder type and
value, how many answers there are. Everything here is derived from those
counts exactly: a median from a value distribution is the true median.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from consult.shares import percent, rounded_shares
from consult.surveys.models import RATING_MAX, RATING_MIN, SurveyQuestion

# A grouped count: (option_id, number_value, has_text, count).
Cell = tuple[int | None, float | None, bool, int]

PROMOTERS_FROM, PASSIVES_FROM = 9, 7  # 0-6 detractors, 7-8 passives, 9-10 promoters


@dataclass(frozen=True)
class ChoiceRow:
    option_id: int | None  # None: "Other, please specify"
    label: str
    count: int
    share: float  # of the question's respondents, 0..1
    # The share as shown, in percent: a single choice's rows add to 100
    # (largest remainder), a multiple choice's are each rounded half up.
    percent: Decimal | None = None


@dataclass(frozen=True)
class ChoiceStats:
    n: int
    rows: list[ChoiceRow]


@dataclass(frozen=True)
class ScaleStats:
    n: int
    mean: float | None
    median: float | None
    distribution: list[tuple[float, int]]  # (value, count), every scale point
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Nps:
    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        """Share of promoters minus share of detractors, -100..100."""
        if not self.n:
            return None
        return 100 * (self.promoters - self.detractors) / self.n

    @property
    def shown(self) -> Decimal | None:
        """The score as shown: whole points from the counts, half up (12.5 is
        13, where ``round`` of the float gives 12)."""
        return percent(self.promoters - self.detractors, self.n)


@dataclass(frozen=True)
class RatingStats(ScaleStats):
    nps: Nps = field(default_factory=lambda: Nps(0, 0, 0))


@dataclass(frozen=True)
class StatementStats:
    option_id: int
    label: str
    stats: ScaleStats
    hidden: bool = False  # answered by too few to show (protected results)


@dataclass(frozen=True)
class MatrixStats:
    n: int
    statements: list[StatementStats]


@dataclass(frozen=True)
class RankRow:
    option_id: int
    label: str
    mean_rank: float | None
    count: int  # respondents who ranked it
    rank_counts: list[int]  # how often at rank 1, 2, ...


@dataclass(frozen=True)
class RankingStats:
    n: int
    items: list[RankRow]  # best (lowest) average rank first


@dataclass(frozen=True)
class TextStats:
    n: int


def question_stats(question: SurveyQuestion, cells: Iterable[Cell], n: int):
    """The statistics of one question over ``cells`` answered by ``n`` respondents."""
    cells = list(cells)
    kind = question.kind
    if kind in ("single_choice", "multiple_choice"):
        return _choices(question, cells, n)
    if kind == "likert":
        return _scale(cells, points=[1, 2, 3, 4, 5], n=n)
    if kind == "rating":
        base = _scale(cells, points=list(range(RATING_MIN, RATING_MAX + 1)), n=n)
        return RatingStats(**base.__dict__, nps=nps_of(base.distribution))
    if kind == "number":
        return _scale(cells, points=None, n=n)
    if kind == "likert_matrix":
        return _matrix(question, cells, n)
    if kind == "ranking":
        return _ranking(question, cells, n)
    return TextStats(n=sum(c for _o, _v, has_text, c in cells if has_text))


def nps_of(distribution: Iterable[tuple[float, int]]) -> Nps:
    """Promoters (9-10), passives (7-8) and detractors (0-6) of a 0-10 distribution."""
    promoters = passives = detractors = 0
    for value, count in distribution:
        if value >= PROMOTERS_FROM:
            promoters += count
        elif value >= PASSIVES_FROM:
            passives += count
        else:
            detractors += count
    return Nps(promoters, passives, detractors)


def median_of(distribution: list[tuple[float, int]]) -> float | None:
    """The median of a (value, count) distribution sorted by value."""
    total = sum(count for _v, count in distribution)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one or two positions
    found, seen = [], 0
    for value, count in distribution:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / 2


def _choices(question, cells, n) -> ChoiceStats:
    counts: dict[int | None, int] = defaultdict(int)
    for option_id, _value, has_text, count in cells:
        if option_id is not None or has_text:
            counts[option_id] += count
    rows = [
        ChoiceRow(o.id, o.label, counts.get(o.id, 0), _share(counts.get(o.id, 0), n))
        for o in question.options
    ]
    if question.allow_other or counts.get(None):
        other = counts.get(None, 0)
        rows.append(ChoiceRow(None, "", other, _share(other, n)))
    if question.kind == "single_choice":
        shown = rounded_shares([row.count for row in rows])
    else:
        shown = [percent(row.count, n) or Decimal(0) for row in rows]
    rows = [replace(row, percent=p) for row, p in zip(rows, shown, strict=True)]
    return ChoiceStats(n=n, rows=rows)


def _scale(cells, *, points: list[int] | None, n: int) -> ScaleStats:
    counts: dict[float, int] = defaultdict(int)
    for _option, value, _has_text, count in cells:
        if value is not None:
            counts[float(value)] += count
    if points is not None:
        for point in points:
            counts.setdefault(float(point), 0)
    distribution = sorted(counts.items())
    total = sum(c for _v, c in distribution)
    mean = sum(v * c for v, c in distribution) / total if total else None
    present = [v for v, c in distribution if c]
    return ScaleStats(
        n=total,
        mean=mean,
        median=median_of(distribution),
        distribution=distribution,
        minimum=min(present) if present else None,
        maximum=max(present) if present else None,
    )


def _matrix(question, cells, n) -> MatrixStats:
    by_statement: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        if cell[0] is not None:
            by_statement[cell[0]].append(cell)
    statements = [
        StatementStats(
            s.id,
            s.label,
            _scale(by_statement.get(s.id, []), points=[1, 2, 3, 4, 5], n=n),
        )
        for s in question.statements
    ]
    return MatrixStats(n=n, statements=statements)


def _ranking(question, cells, n) -> RankingStats:
    options = question.options
    by_item: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for option_id, value, _has_text, count in cells:
        if option_id is not None and value is not None:
            by_item[option_id][int(value)] += count
    rows = []
    for option in options:
        ranks = by_item.get(option.id, {})
        count = sum(ranks.values())
        mean = sum(r * c for r, c in ranks.items()) / count if count else None
        rank_counts = [ranks.get(r, 0) for r in range(1, len(options) + 1)]
        rows.append(RankRow(option.id, option.label, mean, count, rank_counts))
    rows.sort(key=lambda row: (row.mean_rank is None, row.mean_rank or 0))
    return RankingStats(n=n, items=rows)


def hide_statements(stats, statements: set[int]):
    """A matrix's stats with the ``statements`` hidden: their answer count
    stays, their mean, median and distribution go. Other stats unchanged."""
    if not statements or not isinstance(stats, MatrixStats):
        return stats
    empty = ScaleStats(n=0, mean=None, median=None, distribution=[])
    return replace(
        stats,
        statements=[
            replace(s, stats=replace(empty, n=s.stats.n), hidden=True)
            if s.option_id in statements
            else s
            for s in stats.statements
        ],
    )


def _share(count: int, n: int) -> float:
    return count / n if n else 0.0
