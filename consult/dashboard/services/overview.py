"""An organiser's events side by side: headline figures in a fixed set of queries.

One query per table over all the events at once (GROUP BY event), never one
per event. Who counts is consult.registration.counting's rule, as on each
event's dashboard and report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from consult.challenges.models import Challenge, Input, Priority
from consult.dashboard.models import ResultsPublication
from consult.dashboard.services.queries import counted_input
from consult.events.models import Event
from consult.events.services.queries import managed_events
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration, StakeholderType
from consult.registration.services.organiser_queries import UNDER_REPRESENTED_MARGIN
from consult.surveys.models import Survey, SurveyResponse
from consult.surveys.services.audience import (
    counted_response_of_any_survey,
    with_registration,
)


@dataclass
class EventFigures:
    event: Event
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    attended: int = 0
    inputs: int = 0
    awaiting_moderation: int = 0
    ballots: int = 0
    survey_responses: int = 0
    results_published: bool = False
    under_represented: list[str] = field(default_factory=list)


@dataclass
class Overview:
    events: list[EventFigures]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.events)


def organiser_overview(user) -> Overview:
    """Headline figures of each of the user's events."""
    events = managed_events(user)
    rows = {event.id: EventFigures(event) for event in events}
    ids = list(rows)
    if not ids:
        return Overview([])
    _registrations(rows, ids)
    for event_id, state, n in db.session.execute(
        select(Input.event_id, Input.state, func.count(Input.id))
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .where(Input.event_id.in_(ids), counted_input())
        .group_by(Input.event_id, Input.state)
    ):
        rows[event_id].inputs += n
        if state == "submitted":
            rows[event_id].awaiting_moderation += n
    for event_id, n in db.session.execute(
        select(Priority.event_id, func.count(func.distinct(Priority.registration_id)))
        .join(Registration, Registration.id == Priority.registration_id)
        .join(Challenge, Challenge.id == Priority.challenge_id)
        .where(
            Priority.event_id.in_(ids),
            counting.voter(),
            Challenge.archived_at.is_(None),
        )
        .group_by(Priority.event_id)
    ):
        rows[event_id].ballots = n
    responses = with_registration(
        select(Survey.event_id, func.count(SurveyResponse.id)).join(
            SurveyResponse, SurveyResponse.survey_id == Survey.id
        )
    )
    for event_id, n in db.session.execute(
        responses.where(
            Survey.event_id.in_(ids),
            SurveyResponse.status == "submitted",
            counted_response_of_any_survey(),
        ).group_by(Survey.event_id)
    ):
        rows[event_id].survey_responses = n
    for event_id in db.session.scalars(
        select(ResultsPublication.event_id).where(ResultsPublication.event_id.in_(ids))
    ):
        rows[event_id].results_published = True
    return Overview(list(rows.values()))


def _registrations(rows: dict[int, EventFigures], ids: list[int]) -> None:
    attended = counting.attended()
    confirmed_by_type: dict[int, dict[int, int]] = defaultdict(dict)
    for event_id, type_id, status, n, came in db.session.execute(
        select(
            Registration.event_id,
            Registration.stakeholder_type_id,
            Registration.status,
            func.count(Registration.id),
            func.sum(case((attended, 1), else_=0)),
        )
        .where(Registration.event_id.in_(ids), Registration.erased_at.is_(None))
        .group_by(
            Registration.event_id,
            Registration.stakeholder_type_id,
            Registration.status,
        )
    ):
        row = rows[event_id]
        if status in ("confirmed", "waitlisted", "pending"):
            setattr(row, status, getattr(row, status) + n)
        if status in counting.ATTENDANCE_STATUSES:
            row.attended += int(came or 0)
        if status in counting.PARTICIPATION_STATUSES:
            confirmed_by_type[event_id][type_id] = (
                confirmed_by_type[event_id].get(type_id, 0) + n
            )
    types = db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id.in_(ids))
        .order_by(StakeholderType.position, StakeholderType.id)
    )
    for kind in types:
        row = rows[kind.event_id]
        if not row.confirmed or kind.target_share <= 0:
            continue
        share = 100 * confirmed_by_type[kind.event_id].get(kind.id, 0) / row.confirmed
        if share + UNDER_REPRESENTED_MARGIN < kind.target_share:
            row.under_represented.append(kind.label)
