"""Everything the organiser's dashboard shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from consult.challenges.services import PriorityResults, priority_results
from consult.dashboard.figures import dashboard_charts
from consult.dashboard.models import ResultsPublication
from consult.dashboard.services import queries
from consult.dashboard.services.findings import Findings
from consult.dashboard.services.report import add_findings
from consult.dashboard.services.surveys import SurveySummary, survey_summaries
from consult.events.models import Event
from consult.export_log import ExportLog
from consult.extensions import db
from consult.notifications.reminders.engine import AttendanceHold, attendance_hold
from consult.notifications.reminders.overview import scheduler_is_stale
from consult.notifications.services import (
    event_outbox_counts,
    recent_failed_emails,
    scheduler_health,
)
from consult.registration.services.access_needs import AccessNeeds, access_needs
from consult.registration.services.organiser_queries import (
    Balance,
    stakeholder_balance,
)
from consult.shares import percent
from consult.surveys.results import min_group_size

EXPORT_LOG_SHOWN = 10


@dataclass
class Dashboard:
    event: Event
    now: datetime
    balance: Balance
    by_day: list[tuple[date, int]]
    countries: list[tuple[str, int]]
    cities: list[tuple[str, str, int]]
    attendance: dict[int, queries.Attendance]
    attendance_known: bool
    input_counts: list[queries.InputCount]
    input_states: dict[str, int]
    priorities: PriorityResults
    surveys: list[SurveySummary]
    outbox: dict[str, int]
    failed_emails: list
    scheduler_jobs: list
    scheduler_stale: bool
    exports: list[ExportLog]
    publication: ResultsPublication | None
    charts: dict = field(default_factory=dict)
    findings: Findings | None = None  # rankings, divergence, weighted view
    # The organiser's own page shows small groups, each marked with its n.
    min_group: int = field(default_factory=min_group_size)
    # Follow-ups held back because attendance is not marked complete.
    attendance_hold: AttendanceHold | None = None
    # Participants per stakeholder type id and channel (queries.PARTICIPATION_CHANNELS).
    channels: dict[int, dict[str, int]] = field(default_factory=dict)
    # Interpretation, captions and other needs of the confirmed, per language.
    access: AccessNeeds | None = None

    @property
    def channel_columns(self) -> list[str]:
        """The channels to show: online always, the others once someone came
        through them."""
        used = {c for counts in self.channels.values() for c in counts}
        return [c for c in queries.PARTICIPATION_CHANNELS if c == "online" or c in used]

    def channel_total(self, channel: str) -> int:
        return sum(counts.get(channel, 0) for counts in self.channels.values())

    @property
    def registrations(self) -> int:
        return sum(n for _d, n in self.by_day)

    @property
    def inputs_total(self) -> int:
        return sum(row.count for row in self.input_counts)

    @property
    def attended(self) -> int:
        return sum(a.attended for a in self.attendance.values())

    @property
    def attendance_rate(self) -> float | None:
        confirmed = sum(a.confirmed for a in self.attendance.values())
        return self.attended / confirmed if confirmed else None

    @property
    def attendance_percent(self) -> Decimal | None:
        """The attendance rate as shown: whole percent from the counts."""
        return percent(
            self.attended, sum(a.confirmed for a in self.attendance.values())
        )


def recent_exports(event: Event, limit: int = EXPORT_LOG_SHOWN) -> list[ExportLog]:
    """The event's latest export log entries, newest first."""
    return list(
        db.session.scalars(
            select(ExportLog)
            .where(ExportLog.event_id == event.id)
            .order_by(ExportLog.created_at.desc(), ExportLog.id.desc())
            .limit(limit)
        )
    )


def publication_of(event: Event) -> ResultsPublication | None:
    """The event's results publication, or None while the results are private."""
    return db.session.scalar(
        select(ResultsPublication).where(ResultsPublication.event_id == event.id)
    )


def dashboard_data(event: Event, *, now: datetime) -> Dashboard:
    """Aggregate the event's registrations, inputs, priorities, surveys and mail."""
    input_counts = queries.input_counts(event)
    data = Dashboard(
        event=event,
        now=now,
        balance=stakeholder_balance(event),
        by_day=queries.registrations_by_day(event),
        countries=queries.countries(event),
        cities=queries.cities(event),
        attendance=queries.attendance_by_type(event),
        attendance_known=queries.attendance_known(event, now),
        input_counts=input_counts,
        input_states=queries.input_states(input_counts),
        priorities=priority_results(event),
        surveys=survey_summaries(event),
        outbox=event_outbox_counts(event.id),
        failed_emails=recent_failed_emails(event.id),
        scheduler_jobs=scheduler_health(now=now),
        scheduler_stale=scheduler_is_stale(now=now),
        exports=recent_exports(event),
        publication=publication_of(event),
        attendance_hold=attendance_hold(event, now=now),
        channels=queries.participation_by_channel(event),
        access=access_needs(
            event, default_language=current_app.config["BABEL_DEFAULT_LOCALE"]
        ),
    )
    data.charts = dashboard_charts(data)
    add_findings(data, data.priorities)
    return data
