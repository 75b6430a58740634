"""A programme's figures across its events: participation per event and per
stakeholder group (public), and the organisers' comparison of events.

Who counts is consult.registration.counting's rule, as on each event's
dashboard: participants are ``counting.participant()`` registrations,
attendance ``counting.attended()`` among them. One GROUP BY over all the
programme's events gives every count. Survey satisfaction comes from the
dashboard's survey results (``dashboard.services.surveys.survey_summaries``):
the mean of the first 0–10 rating question of the event's post-event surveys
(then of its other surveys), the same figure the dashboard's headline shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select

from consult.dashboard.services.findings_means import exact_mean, shown_mean
from consult.dashboard.services.surveys import survey_summaries
from consult.events.models import Event
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration, StakeholderType
from consult.shares import percent


@dataclass
class GroupCount:
    key: str
    label: str
    participants: int = 0
    attended: int = 0


@dataclass
class Satisfaction:
    survey: str
    question: str
    mean: Decimal  # out of 10, one decimal
    answers: int


@dataclass
class EventRow:
    event: Event
    groups: list[GroupCount] = field(default_factory=list)
    registrations: int = 0  # every registration not cancelled, rejected or erased
    satisfaction: Satisfaction | None = None

    @property
    def participants(self) -> int:
        return sum(g.participants for g in self.groups)

    @property
    def attended(self) -> int:
        return sum(g.attended for g in self.groups)

    def attendance_rate(self, now: datetime) -> Decimal | None:
        """Attended among participants, in percent; None before the event
        ends or without participants."""
        if self.event.end_at > now or not self.participants:
            return None
        return percent(self.attended, self.participants)

    def share(self, group: GroupCount) -> Decimal | None:
        """The group's share of the event's participants, in percent."""
        if not self.participants:
            return None
        return percent(group.participants, self.participants)


def event_rows(events: list[Event], *, satisfaction: bool = False) -> list[EventRow]:
    """Each event's participants and attendance per stakeholder group (its
    types in their order), and, if asked, its survey satisfaction."""
    rows = {event.id: EventRow(event) for event in events}
    if not rows:
        return []
    ids = list(rows)
    groups: dict[int, GroupCount] = {}
    for kind in db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id.in_(ids))
        .order_by(StakeholderType.position, StakeholderType.id)
    ):
        groups[kind.id] = GroupCount(kind.key, kind.label)
        rows[kind.event_id].groups.append(groups[kind.id])
    for type_id, n, came in db.session.execute(
        select(
            Registration.stakeholder_type_id,
            func.count(Registration.id),
            func.sum(case((counting.attended(), 1), else_=0)),
        )
        .where(Registration.event_id.in_(ids), counting.participant())
        .group_by(Registration.stakeholder_type_id)
    ):
        if type_id in groups:
            groups[type_id].participants = int(n)
            groups[type_id].attended = int(came or 0)
    for event_id, n in db.session.execute(
        select(Registration.event_id, func.count(Registration.id))
        .where(
            Registration.event_id.in_(ids),
            Registration.status.in_(("confirmed", "waitlisted", "pending")),
            Registration.erased_at.is_(None),
        )
        .group_by(Registration.event_id)
    ):
        rows[event_id].registrations = int(n)
    if satisfaction:
        for row in rows.values():
            row.satisfaction = survey_satisfaction(row.event)
    return list(rows.values())


def group_totals(rows: list[EventRow]) -> list[GroupCount]:
    """Participants per stakeholder group across the events, groups matched
    by their key, in the order they first appear."""
    totals: dict[str, GroupCount] = {}
    for row in rows:
        for group in row.groups:
            total = totals.setdefault(group.key, GroupCount(group.key, group.label))
            total.participants += group.participants
            total.attended += group.attended
    return list(totals.values())


def survey_satisfaction(event: Event) -> Satisfaction | None:
    """The mean of the event's first rating question with answers shown,
    post-event surveys first; None when there is none."""
    summaries = sorted(
        survey_summaries(event), key=lambda s: s.survey.kind != "post_event"
    )
    for summary in summaries:
        if summary.results.hidden:
            continue
        for result in summary.results.questions:
            if result.kind != "rating" or result.hidden or not result.n:
                continue
            mean = exact_mean(result.overall)
            if mean is None:
                continue
            return Satisfaction(
                summary.survey.title, result.question.text, shown_mean(mean), result.n
            )
    return None
