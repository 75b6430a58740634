"""The report's executive summary: its headline figures and findings in words.

Built from the report's own figures (services/report.py) after the findings:
the rankings are the findings' places (the points the results services
computed, ties sharing a place), the groups are those ranked on their own
(at or above the small-group threshold), and the divergence is the findings'
(highest minus lowest share of a group's points). Live questions join the
summary once the event has them; there are none yet, so nothing is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.dashboard.services.findings import Place
from consult.dashboard.services.surveys import Headline
from consult.shares import percent

TOP_SURVEY_FINDINGS = 5


@dataclass
class GroupSentence:
    label: str | None  # None: all stakeholder groups
    ballots: int
    places: list[Place]
    text: str


@dataclass
class ExecutiveSummary:
    participation: str
    balance: str | None = None
    rankings: list[GroupSentence] = field(default_factory=list)
    divergence: str | None = None
    surveys: list[Headline] = field(default_factory=list)

    @property
    def overall(self) -> GroupSentence | None:
        return self.rankings[0] if self.rankings else None

    @property
    def by_group(self) -> list[GroupSentence]:
        return self.rankings[1:]


def ranking_text(sentences: list[str]) -> str:
    """The findings' place sentences in one line: 'Place 1: A, 40 points;
    B and C tie for place 2, 30 points each; Place 4: D, 2 points'."""
    return _("; ").join(sentences)


def participation_text(report) -> str:
    """Confirmed registrants, organisations, countries and (after it) attendance."""
    confirmed = report.balance.confirmed
    countries = len([code for code, n in report.countries if code and n])
    text = ngettext(
        "%(num)d confirmed registrant", "%(num)d confirmed registrants", confirmed
    )
    if report.organisation_count:
        text = _(
            "%(people)s from %(organisations)s",
            people=text,
            organisations=ngettext(
                "%(num)d organisation",
                "%(num)d organisations",
                report.organisation_count,
            ),
        )
    if countries:
        text = _(
            "%(people)s in %(countries)s",
            people=text,
            countries=ngettext("%(num)d country", "%(num)d countries", countries),
        )
    text = _("%(who)s took part.", who=text)
    if report.attendance_known and confirmed:
        text += " " + _(
            "%(attended)d of them attended (%(rate)s%%).",
            attended=report.attended,
            rate=percent(report.attended, confirmed),
        )
    return text


def balance_text(report) -> str | None:
    """Which groups shown on their own are below their target share."""
    groups = report.groups
    if groups is None or not groups.rows:
        return None
    below = groups.below_target
    if not below:
        return _("Every stakeholder type shown reached its target share.")
    return _(
        "Below their target share: %(groups)s.",
        groups=_("; ").join(
            _(
                "%(label)s (%(share)s%% of confirmed registrants, target %(target)d%%)",
                label=row.label,
                share=row.share,
                target=row.target,
            )
            for row in below
        ),
    )


def executive_summary(report) -> ExecutiveSummary:
    """The summary of a built report (report_data, findings included)."""
    summary = ExecutiveSummary(
        participation=participation_text(report), balance=balance_text(report)
    )
    found = report.findings.priorities if report.findings else None
    if found is not None:
        for ranking in [found.overall, *found.by_group]:
            summary.rankings.append(
                GroupSentence(
                    ranking.label,
                    ranking.ballots,
                    ranking.places,
                    ranking_text(ranking.sentences),
                )
            )
        if found.divergence.comparable:
            summary.divergence = found.divergence.most_sentence()
    summary.surveys = [headline for s in report.surveys for headline in s.headlines][
        :TOP_SURVEY_FINDINGS
    ]
    return summary
