"""SQL aggregates of one event for the dashboard and the report.

Each function runs one GROUP BY (or one bounded) query whatever the number of
registrations, inputs or answers: the page's query count never grows with
the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from consult.challenges.models import Challenge, Input
from consult.challenges.services.supports import support_totals
from consult.events.models import AgendaSession, Event
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration
from consult.timeutil import to_local

TOP_COUNTRIES = 15
TOP_CITIES = 15
TOP_INPUTS = 5  # most supported inputs shown per challenge in the report


# How a participant came: registered themselves, was registered by an
# organiser (assisted), or by a facilitator through one of its channels.
PARTICIPATION_CHANNELS = counting.CAME_THROUGH


def participation_by_channel(event: Event) -> dict[int, dict[str, int]]:
    """Participants (``counting.participant``) per stakeholder type id and
    channel (``PARTICIPATION_CHANNELS``), in one GROUP BY."""
    how = counting.how_registered()
    rows = db.session.execute(
        select(Registration.stakeholder_type_id, how, func.count(Registration.id))
        .where(Registration.event_id == event.id, counting.participant())
        .group_by(Registration.stakeholder_type_id, how)
    )
    result: dict[int, dict[str, int]] = {}
    for type_id, channel, count in rows:
        result.setdefault(type_id, {})[channel] = int(count)
    return result


def _hour_bucket(column):
    """The UTC hour of a timestamp as 'YYYY-MM-DD HH' text, on both engines."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def registrations_by_day(event: Event) -> list[tuple[date, int]]:
    """New registrations per day in the event's time zone, days without any as 0.

    SQL counts per UTC hour (a bounded number of rows); each hour is then put
    on its local day, exact for every zone whose offset is whole hours.
    """
    bucket = _hour_bucket(Registration.created_at).label("hour")
    rows = db.session.execute(
        select(bucket, func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(bucket)
    )
    per_day: Counter[date] = Counter()
    for hour, count in rows:
        moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        per_day[to_local(moment, event.timezone).date()] += count
    if not per_day:
        return []
    first, last = min(per_day), max(per_day)
    days = (last - first).days
    return [
        (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0))
        for i in range(days + 1)
    ]


def countries(event: Event) -> list[tuple[str, int]]:
    """Participants (``counting.participant``) per country, most first."""
    count = func.count(Registration.id)
    rows = db.session.execute(
        select(Registration.country, count)
        .where(Registration.event_id == event.id, counting.participant())
        .group_by(Registration.country)
        .order_by(count.desc(), Registration.country)
    )
    return [(country, n) for country, n in rows]


def cities(event: Event) -> list[tuple[str, str, int]]:
    """The most frequent (city, country) of participants."""
    count = func.count(Registration.id)
    city = func.trim(Registration.city)
    rows = db.session.execute(
        select(city, Registration.country, count)
        .where(Registration.event_id == event.id, counting.participant(), city != "")
        .group_by(city, Registration.country)
        .order_by(count.desc(), city)
        .limit(TOP_CITIES)
    )
    return [(name, country, n) for name, country, n in rows]


@dataclass(frozen=True)
class Attendance:
    confirmed: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.confirmed if self.confirmed else None


def attendance_by_type(event: Event) -> dict[int, Attendance]:
    """Registrants in the attendance base and those who attended, per type id."""
    rows = db.session.execute(
        select(
            Registration.stakeholder_type_id,
            func.count(Registration.id),
            func.sum(case((counting.attended(), 1), else_=0)),
        )
        .where(Registration.event_id == event.id, counting.attendee_base())
        .group_by(Registration.stakeholder_type_id)
    )
    return {tid: Attendance(n, int(a or 0)) for tid, n, a in rows}


def attendance_known(event: Event, now: datetime) -> bool:
    """Attendance means something once the event has started."""
    return now >= event.start_at


@dataclass(frozen=True)
class InputCount:
    challenge_id: int | None
    kind: str
    type_id: int | None  # None: an invited expert's input
    state: str
    count: int


def counted_input():
    """WHERE clause: an input that counts (not merged, not of an archived
    challenge); needs ``Challenge`` outer-joined on the input's challenge."""
    return and_(
        Input.state != "merged",
        or_(Input.challenge_id.is_(None), Challenge.archived_at.is_(None)),
    )


def input_counts(event: Event) -> list[InputCount]:
    """Counted inputs per challenge, kind, author's current type and state."""
    rows = db.session.execute(
        select(
            Input.challenge_id,
            Input.kind,
            Registration.stakeholder_type_id,
            Input.state,
            func.count(Input.id),
        )
        .outerjoin(Registration, Registration.id == Input.registration_id)
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .where(Input.event_id == event.id, counted_input())
        .group_by(
            Input.challenge_id,
            Input.kind,
            Registration.stakeholder_type_id,
            Input.state,
        )
    )
    return [InputCount(*row) for row in rows]


def input_states(counts: list[InputCount]) -> dict[str, int]:
    """Counted inputs per moderation state, from ``input_counts``."""
    states: dict[str, int] = {}
    for row in counts:
        states[row.state] = states.get(row.state, 0) + row.count
    return states


def report_event(event_id: int) -> Event:
    """The event with partner cities, sessions and speakers loaded (4 queries)."""
    return db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.partner_cities),
            selectinload(Event.sessions).selectinload(AgendaSession.speakers),
        )
        .execution_options(populate_existing=True)
    )


def plan_inputs(event: Event) -> list[tuple[Input, int]]:
    """Per challenge: the inputs selected for the action plan, then the most
    supported published ones (best practices and other kinds ranked apart).

    One windowed query plus the authors' rows loaded in bulk.
    """
    supports = support_totals(event.id)
    support_n = func.coalesce(supports.c.n, 0)
    is_practice = case(
        (Input.kind == "best_practice", literal_column("1")), else_=literal_column("0")
    )
    ranked = (
        select(
            Input.id.label("id"),
            support_n.label("supports"),
            func.row_number()
            .over(
                partition_by=(Input.challenge_id, is_practice),
                order_by=(support_n.desc(), Input.id),
            )
            .label("place"),
        )
        .outerjoin(supports, supports.c.input_id == Input.id)
        .outerjoin(Challenge, Challenge.id == Input.challenge_id)
        .where(
            Input.event_id == event.id,
            Input.state == "published",
            or_(Input.challenge_id.is_(None), Challenge.archived_at.is_(None)),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(Input, ranked.c.supports)
        .join(ranked, ranked.c.id == Input.id)
        .where(or_(Input.selected_for_plan, ranked.c.place <= TOP_INPUTS))
        .order_by(Input.selected_for_plan.desc(), ranked.c.supports.desc(), Input.id)
        .options(selectinload(Input.registration), selectinload(Input.expert))
    )
    return [(item, int(n)) for item, n in rows]


def listed_organisations(event: Event) -> list[tuple[str, int]]:
    """Organisations of participants who agreed to be listed, with counts."""
    name = func.trim(Registration.organisation)
    rows = db.session.execute(
        select(name, func.count(Registration.id))
        .where(
            Registration.event_id == event.id,
            counting.participant(),
            Registration.consent_listing,
            name != "",
        )
        .group_by(name)
        .order_by(func.lower(name))
    )
    return [(org, n) for org, n in rows]


def organisation_count(event: Event) -> int:
    """Distinct organisations among participants (a figure, no names)."""
    return db.session.scalar(
        select(
            func.count(func.distinct(func.lower(func.trim(Registration.organisation))))
        ).where(
            and_(
                Registration.event_id == event.id,
                counting.participant(),
                func.trim(Registration.organisation) != "",
            )
        )
    )
