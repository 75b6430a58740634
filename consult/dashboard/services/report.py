"""The consultation report: what the organiser sends to the city and the programme.

Built from the same aggregates as the dashboard, in a fixed number of queries
(per survey a fixed set of its own), and rendered once as HTML; the PDF is
that HTML printed by WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from consult.challenges.models import Challenge, Input
from consult.challenges.services import (
    POINTS_TOTAL,
    PriorityResults,
    priority_results,
    settings_for,
)
from consult.dashboard.figures import divergence_chart, report_charts
from consult.dashboard.services import queries
from consult.dashboard.services.findings import Findings, findings
from consult.dashboard.services.groups import (
    AttendanceRow,
    ChannelRow,
    CountRow,
    GroupBalance,
    group_attendance,
    group_balance,
    group_channels,
    group_countries,
    group_priorities,
)
from consult.dashboard.services.report_actions import (
    ReportActions,
    consultation_actions,
)
from consult.dashboard.services.report_notes import latest_notes
from consult.dashboard.services.summary import ExecutiveSummary, executive_summary
from consult.dashboard.services.surveys import SurveySummary, survey_summaries
from consult.events.models import Event
from consult.live.services.summary import LiveSummary, live_summary
from consult.registration import counting
from consult.registration.services.organiser_queries import (
    Balance,
    stakeholder_balance,
)
from consult.shares import percent
from consult.surveys.results import min_group_size


@dataclass
class ChallengeInputs:
    challenge: Challenge | None  # None: general inputs
    selected: list[tuple[Input, int]] = field(default_factory=list)
    supported: list[tuple[Input, int]] = field(default_factory=list)
    practices: list[tuple[Input, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.selected or self.supported or self.practices)


@dataclass
class Report:
    event: Event
    now: datetime
    balance: Balance
    countries: list[tuple[str, int]]
    attendance: dict[int, queries.Attendance]
    attendance_known: bool
    priorities: PriorityResults
    priority_method: str
    sections: list[ChallengeInputs]
    surveys: list[SurveySummary]
    organisations: list[tuple[str, int]]
    organisation_count: int
    rule: list[str] = field(default_factory=list)  # who counts, in words
    rule_version: str = counting.RULE_VERSION
    points_total: int = POINTS_TOTAL
    min_group: int = field(default_factory=min_group_size)
    # The per-group figures, small groups folded (services/groups.py).
    groups: GroupBalance | None = None
    country_rows: list[CountRow] = field(default_factory=list)
    attendance_rows: list[AttendanceRow] = field(default_factory=list)
    # How people took part (online, by an organiser, a facilitator's channel).
    channel_rows: list[ChannelRow] = field(default_factory=list)
    group_priorities: PriorityResults | None = None  # per type: small ones folded
    top_inputs: int = queries.TOP_INPUTS
    charts: dict = field(default_factory=dict)
    findings: Findings | None = None  # rankings, divergence, weighted view
    summary: ExecutiveSummary | None = None
    notes: object = None  # the organisers' latest ReportNotes, if any
    # The action plans' actions built on this consultation (shown once any).
    actions: ReportActions | None = None
    # The live session: top questions, closed polls (consult.live).
    live: LiveSummary | None = None

    @property
    def attended(self) -> int:
        return sum(a.attended for a in self.attendance.values())

    @property
    def priority_rate(self):
        """Ballots of the confirmed registrants, in whole percent (None: nobody)."""
        return percent(self.priorities.ballots, self.balance.confirmed)

    @property
    def channel_columns(self) -> list[str]:
        """Online always, the other channels once someone came through them."""
        used = {c for row in self.channel_rows for c, n in row.counts.items() if n}
        return [c for c in queries.PARTICIPATION_CHANNELS if c == "online" or c in used]


def challenge_sections(
    challenges: list[Challenge], items: list[tuple[Input, int]]
) -> list[ChallengeInputs]:
    """Group the report's inputs by challenge: selected, most supported, practices."""
    sections = {c.id: ChallengeInputs(c) for c in challenges}
    general = ChallengeInputs(None)
    for item, supports in items:
        section = sections.get(item.challenge_id, general)
        if item.selected_for_plan:
            section.selected.append((item, supports))
        elif item.kind == "best_practice":
            section.practices.append((item, supports))
        else:
            section.supported.append((item, supports))
    out = list(sections.values())
    if not general.empty:
        out.append(general)
    return out


def report_data(event: Event, *, now: datetime) -> Report:
    """Everything in the consultation report of one event.

    No figure of a stakeholder group (or country) below ``min_group_size()``
    stands alone: the per-group figures fold them (services/groups.py), the
    priorities per type carry a combined row instead, and the surveys apply
    the anonymous surveys' rule to named ones too.
    """
    event = queries.report_event(event.id)
    priorities = priority_results(event)
    report = Report(
        event=event,
        now=now,
        balance=stakeholder_balance(event),
        countries=queries.countries(event),
        attendance=queries.attendance_by_type(event),
        attendance_known=queries.attendance_known(event, now),
        priorities=priorities,
        priority_method=settings_for(event).priority_method,
        sections=challenge_sections(priorities.challenges, queries.plan_inputs(event)),
        surveys=survey_summaries(event, with_charts=True, protect=True),
        organisations=queries.listed_organisations(event),
        organisation_count=queries.organisation_count(event),
        rule=counting.rule_sentences(),
    )
    report.groups = _largest_first(group_balance(report.balance))
    report.country_rows = group_countries(report.countries)
    # The types have no order of their own: highest rate first, combined last.
    report.attendance_rows = sorted(
        group_attendance(report.balance, report.attendance),
        key=lambda row: (row.combined, -(row.rate or 0)),
    )
    report.channel_rows = group_channels(
        report.balance, queries.participation_by_channel(event)
    )
    report.group_priorities = group_priorities(priorities)
    report.charts = report_charts(report)
    # The report's rankings per group, divergence and weights: only the groups
    # shown on their own. Ranking the groups at the threshold beside the
    # overall points would give the folded ones' points back by subtraction
    # (the overall minus the ranked groups), so the folding of small groups
    # (group_priorities, with its remainder rule) decides which groups appear;
    # the combined row is no stakeholder group and is not ranked or weighted.
    add_findings(report, _own_groups(report.group_priorities))
    report.summary = executive_summary(report)
    report.notes = latest_notes(event)
    report.actions = consultation_actions(event)
    report.live = live_summary(event)
    return report


def _largest_first(groups: GroupBalance) -> GroupBalance:
    rows = sorted(groups.rows, key=lambda row: (row.combined, -row.confirmed))
    return replace(groups, rows=rows)


def _own_groups(results: PriorityResults) -> PriorityResults:
    return replace(
        results, by_type=[row for row in results.by_type if row.type_id is not None]
    )


def add_findings(data, priorities: PriorityResults) -> None:
    """Rankings, ties, divergence and the weighted view (dashboard and report);
    the spread chart compares only the groups large enough to compare."""
    data.findings = findings(priorities, data.surveys, min_group=min_group_size())
    found = data.findings.priorities
    if found is not None and found.divergence.comparable:
        data.charts["priorities_spread"] = divergence_chart(
            priorities, found.divergence
        )
    else:
        data.charts.pop("priorities_spread", None)
