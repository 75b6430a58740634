"""The event's surveys with their results, for the dashboard and the report.

Results come from the surveys area (``survey_results``: a fixed set of GROUP
BY queries per survey, whatever the number of answers); this module loads
every survey of the event at once and picks one headline per question.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.dashboard.services.findings_means import exact_mean, shown_mean
from consult.events.models import Event
from consult.extensions import db
from consult.shares import percent, tied_first
from consult.surveys.models import Survey, SurveyQuestion
from consult.surveys.results import (
    QuestionResult,
    SurveyResults,
    question_charts,
    survey_results,
)


@dataclass(frozen=True)
class Headline:
    question: str
    text: str


@dataclass
class SurveySummary:
    survey: Survey
    results: SurveyResults
    headlines: list[Headline]
    charts: dict  # question id -> [Chart]; filled only when asked


def event_surveys(event: Event) -> list[Survey]:
    """The event's surveys with questions and options (three queries in all)."""
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.event_id == event.id)
            .options(
                selectinload(Survey.questions).selectinload(SurveyQuestion.all_options)
            )
            .order_by(Survey.opens_at.is_(None), Survey.opens_at, Survey.id)
        )
    )


def survey_summaries(
    event: Event, *, with_charts: bool = False, protect: bool = False
) -> list[SurveySummary]:
    """Every survey's results (rates, statistics) and headlines; charts if asked.

    ``protect`` (the report) applies the small-group rule to named surveys as
    well as anonymous ones (``survey_results``)."""
    return [
        survey_summary(survey, with_charts=with_charts, protect=protect)
        for survey in event_surveys(event)
    ]


def survey_summary(
    survey: Survey, *, with_charts: bool = False, protect: bool = False
) -> SurveySummary:
    """One survey's results and headlines, as ``survey_summaries`` gives each
    (the survey loaded with its questions and options: ``load_survey``)."""
    results = survey_results(survey, protect=protect)
    visible = [] if results.hidden else results.questions
    charts = {}
    if with_charts:
        charts = {
            q.question.id: question_charts(q) for q in visible if not q.hidden and q.n
        }
    headlines = [h for h in (headline(q) for q in visible) if h is not None]
    return SurveySummary(survey, results, headlines, charts)


def headline(result: QuestionResult) -> Headline | None:
    """One sentence summing up a question's answers, or None (text, hidden, empty)."""
    stats = result.overall
    if result.hidden or stats is None or not result.n:
        return None
    text = _headline_text(result.kind, stats)
    return Headline(result.question.text, text) if text else None


def _headline_text(kind: str, stats) -> str | None:
    if kind in ("single_choice", "multiple_choice") and stats.rows:
        top = tied_first(stats.rows, key=lambda row: row.count)
        labels = [row.label if row.option_id is not None else _("Other")
                  for row in top]  # fmt: skip
        if len(top) == 1:
            return _(
                "Most chosen: %(label)s (%(share)s%%)",
                label=labels[0],
                share=top[0].percent,
            )
        # Each at the same share: rounded alike, not by largest remainder.
        return _(
            "Most chosen, tied: %(labels)s (%(share)s%% each)",
            labels=_and(labels),
            share=percent(top[0].count, stats.n),
        )
    if kind == "rating" and stats.mean is not None:
        text = _("Average %(mean).1f out of 10", mean=_mean(stats))
        if stats.nps.score is not None:
            text += " · " + _("NPS %(score)+d", score=int(stats.nps.shown))
        return text
    if kind in ("likert", "number") and stats.mean is not None:
        if kind == "likert":
            return _("Average %(mean).1f on a 1–5 scale", mean=_mean(stats))
        return _("Average %(mean).1f, median %(median)s", mean=stats.mean,
                 median=_number(stats.median))  # fmt: skip
    if kind == "ranking" and stats.items and stats.items[0].mean_rank is not None:
        # Equal means are equal floats: each is a whole sum over a whole count.
        ranked = [item for item in stats.items if item.mean_rank is not None]
        top = tied_first(ranked, key=lambda item: -item.mean_rank)
        if len(top) > 1:
            return _(
                "Ranked first on average, tied: %(labels)s (mean rank %(rank).1f each)",
                labels=_and([item.label for item in top]),
                rank=top[0].mean_rank,
            )
        return _(
            "Ranked first on average: %(label)s (mean rank %(rank).1f)",
            label=top[0].label,
            rank=top[0].mean_rank,
        )
    if kind == "likert_matrix" and stats.statements:
        scored = [s for s in stats.statements if s.stats.mean is not None]
        if scored:
            top = tied_first(scored, key=lambda s: s.stats.mean)
            if len(top) > 1:
                return _(
                    "Highest agreement, tied: %(labels)s (%(mean).1f on 1–5 each)",
                    labels=_and([s.label for s in top]),
                    mean=top[0].stats.mean,
                )
            return _(
                "Highest agreement: %(label)s (%(mean).1f on 1–5)",
                label=top[0].label,
                mean=top[0].stats.mean,
            )
    return None


def _mean(stats) -> Decimal:
    """A scale's average from its counts, one decimal half up, as its finding
    beside the weighted average shows it (the float would give 3.2 for 3.25)."""
    return shown_mean(exact_mean(stats))


def _and(labels: list[str]) -> str:
    """'A, B and C'."""
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s and %(last)s", first=", ".join(labels[:-1]), last=labels[-1])


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:g}"
