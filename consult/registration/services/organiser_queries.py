"""What organisers read: the filtered registrant list and the stakeholder balance.

Counts come from one GROUP BY query, never from a query per row or per type.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from consult.events.models import Event
from consult.extensions import db
from consult.registration.models import (
    REGISTRATION_STATUSES,
    AttendanceImport,
    Registration,
    StakeholderType,
)
from consult.registration.services.seats import stakeholder_types
from consult.shares import rounded_shares

ATTENDANCE_FILTERS = ("attended", "absent", "unknown")
# A type is flagged when its share of confirmed seats trails its target by
# more than this many percentage points.
UNDER_REPRESENTED_MARGIN = 5
PER_PAGE = 50
# The list's sortable columns (``sort=name``, ``sort=-name`` for descending).
SORTS = ("name", "organisation", "type", "status", "registered", "checked_in")
DEFAULT_SORT = "registered"


def parse_sort(value: str | None) -> str:
    """A sort as sent (``name``, ``-name``); anything else is the default ("")."""
    value = (value or "").strip()
    return value if value.removeprefix("-") in SORTS else ""


@dataclass(frozen=True)
class RegistrantFilter:
    """The organiser's filters; empty values mean 'any'."""

    type_id: int | None = None
    status: str = ""
    country: str = ""
    attendance: str = ""
    search: str = ""
    # Several statuses at once (the organiser's message); () for any.
    statuses: tuple[str, ...] = ()
    sort: str = ""  # one of SORTS, "-" first for descending; "": the default

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-") or DEFAULT_SORT

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links and hidden fields)."""
        values = {
            "type": self.type_id,
            "status": self.status,
            "country": self.country,
            "attendance": self.attendance,
            "q": self.search,
            "sort": self.sort,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class TypeBalance:
    stakeholder_type: StakeholderType
    confirmed: int
    waitlisted: int
    pending: int
    share: float | None  # percent of all confirmed seats; None when nobody is
    under_represented: bool
    cap_reached: bool


@dataclass(frozen=True)
class Balance:
    types: list[TypeBalance]
    confirmed: int
    waitlisted: int
    pending: int
    capacity: int | None

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def under_represented(self) -> list[TypeBalance]:
        return [row for row in self.types if row.under_represented]

    def shown_shares(self, places: int = 0) -> dict[int, Decimal]:
        """Each type's share of the confirmed, as shown: adding to 100
        (largest remainder, consult.shares); {} when nobody is confirmed."""
        if not self.confirmed:
            return {}
        shares = rounded_shares([row.confirmed for row in self.types], places)
        return {
            row.stakeholder_type.id: share
            for row, share in zip(self.types, shares, strict=True)
        }


def registrants_query(event: Event, filters: RegistrantFilter) -> Select:
    """Registrations of the event matching the filters, in the filters' order
    (oldest first by default)."""
    return (
        select(Registration)
        .where(*filter_conditions(event, filters))
        .options(
            joinedload(Registration.stakeholder_type),
            joinedload(Registration.assisted_by),
        )
        .order_by(*sort_order(filters))
    )


def sort_order(filters: RegistrantFilter) -> list:
    """ORDER BY clauses for the filters' sort, done in SQL and stable: equal
    values follow the order of registration (reversed when descending), then
    the id; empty values (no organisation, not checked in) come last either
    way."""
    key = filters.sort_key
    empty = None
    if key == "name":
        value = func.lower(Registration.full_name)
    elif key == "organisation":
        value = func.lower(Registration.organisation)
        empty = func.coalesce(Registration.organisation, "") == ""
    elif key == "type":
        value = (
            select(StakeholderType.position)
            .where(StakeholderType.id == Registration.stakeholder_type_id)
            .scalar_subquery()
        )
    elif key == "status":
        value = case(
            {status: rank for rank, status in enumerate(REGISTRATION_STATUSES)},
            value=Registration.status,
            else_=len(REGISTRATION_STATUSES),
        )
    elif key == "checked_in":
        value = Registration.checked_in_at
        empty = Registration.checked_in_at.is_(None)
    else:
        value = Registration.created_at
    order = [value.desc() if filters.descending else value.asc()]
    if empty is not None:
        order.insert(0, case((empty, 1), else_=0))
    tie = (Registration.created_at, Registration.id)
    return order + [t.desc() if filters.descending else t.asc() for t in tie]


def matching_ids(event: Event, filters: RegistrantFilter) -> list[int]:
    """The ids of every registration matching the filters, on every page:
    what "all matching registrants" selects."""
    return list(
        db.session.scalars(
            select(Registration.id)
            .where(*filter_conditions(event, filters))
            .order_by(Registration.id)
        )
    )


def filter_conditions(event: Event, filters: RegistrantFilter) -> list:
    """WHERE conditions selecting the event's registrations that match."""
    conditions = [Registration.event_id == event.id]
    if filters.type_id:
        conditions.append(Registration.stakeholder_type_id == filters.type_id)
    if filters.status in REGISTRATION_STATUSES:
        conditions.append(Registration.status == filters.status)
    if filters.statuses:
        conditions.append(Registration.status.in_(filters.statuses))
    if filters.country:
        conditions.append(Registration.country == filters.country.upper())
    if filters.attendance in ATTENDANCE_FILTERS:
        conditions.append(_attendance_clause(event, filters.attendance))
    if filters.search.strip():
        conditions.append(_search_clause(filters.search))
    return conditions


def _attendance_clause(event: Event, attendance: str):
    if attendance == "attended":
        return Registration.attended.is_(True)
    # Once a report was imported, everybody it did not mark is known absent;
    # before that, only people with recorded minutes are.
    imported = exists().where(AttendanceImport.event_id == event.id)
    known = or_(Registration.attended_minutes.is_not(None), imported)
    if attendance == "absent":
        return and_(Registration.attended.is_(False), known)
    return and_(Registration.attended.is_(False), ~known)


def _search_clause(text: str):
    escaped = text.strip().lower()
    for char in ("\\", "%", "_"):
        escaped = escaped.replace(char, "\\" + char)
    pattern = f"%{escaped}%"
    columns = (
        Registration.full_name,
        Registration.email,
        Registration.organisation,
        Registration.phone,
    )
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def registrants_page(event: Event, filters: RegistrantFilter, *, page: int):
    """One page of the filtered registrants."""
    return db.paginate(
        registrants_query(event, filters),
        page=max(page, 1),
        per_page=PER_PAGE,
        error_out=False,
    )


def count_registrants(
    event: Event, filters: RegistrantFilter, *, with_email: bool = False
) -> int:
    """How many registrations match the filters; only reachable ones if asked."""
    conditions = filter_conditions(event, filters)
    if with_email:
        conditions += [
            func.coalesce(Registration.email, "") != "",
            Registration.erased_at.is_(None),
        ]
    return db.session.scalar(select(func.count(Registration.id)).where(*conditions))


def recipient_languages(
    event: Event, filters: RegistrantFilter, *, default: str
) -> list[tuple[str, int]]:
    """(language, how many) among the reachable registrants matching the
    filters, most first: who gets a message in which language. People who
    chose none count under ``default`` (the site's language)."""
    language = func.coalesce(Registration.language, default)
    rows = db.session.execute(
        select(language, func.count(Registration.id))
        .where(
            *filter_conditions(event, filters),
            func.coalesce(Registration.email, "") != "",
            Registration.erased_at.is_(None),
        )
        .group_by(language)
    )
    return sorted(((code, count) for code, count in rows), key=lambda r: (-r[1], r[0]))


def registrant_countries(event: Event) -> list[str]:
    """Country codes that occur among the event's registrations, for the filter."""
    return list(
        db.session.scalars(
            select(Registration.country)
            .where(Registration.event_id == event.id, Registration.country != "")
            .distinct()
            .order_by(Registration.country)
        )
    )


def stakeholder_balance(event: Event) -> Balance:
    """Confirmed, waitlisted and pending per type, shares against targets.

    "Confirmed" is the participants of ``consult.registration.counting``.
    """
    counts: dict[tuple[int, str], int] = {}
    rows = db.session.execute(
        select(
            Registration.stakeholder_type_id,
            Registration.status,
            func.count(Registration.id),
        )
        .where(Registration.event_id == event.id, Registration.erased_at.is_(None))
        .group_by(Registration.stakeholder_type_id, Registration.status)
    )
    for type_id, status, number in rows:
        counts[(type_id, status)] = number
    total = sum(n for (_, status), n in counts.items() if status == "confirmed")
    types = [_type_balance(t, counts, total) for t in stakeholder_types(event)]
    return Balance(
        types=types,
        confirmed=total,
        waitlisted=sum(row.waitlisted for row in types),
        pending=sum(row.pending for row in types),
        capacity=event.capacity,
    )


def _type_balance(kind: StakeholderType, counts: dict, total: int) -> TypeBalance:
    confirmed = counts.get((kind.id, "confirmed"), 0)
    share = confirmed * 100 / total if total else None
    return TypeBalance(
        stakeholder_type=kind,
        confirmed=confirmed,
        waitlisted=counts.get((kind.id, "waitlisted"), 0),
        pending=counts.get((kind.id, "pending"), 0),
        share=share,
        under_represented=share is not None
        and kind.target_share > 0
        and share + UNDER_REPRESENTED_MARGIN < kind.target_share,
        cap_reached=kind.cap is not None and confirmed >= kind.cap,
    )
