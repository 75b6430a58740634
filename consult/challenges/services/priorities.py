"""Prioritisation: 10 points or a ranking per confirmed registrant; results in SQL.

Which ballots count is ``consult.registration.counting``'s rule (``voter``),
on the challenges that are not archived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, delete, func, select, tuple_

from consult.challenges.models import Challenge, Priority
from consult.challenges.services.challenges import event_challenges
from consult.challenges.services.common import settings_for, window_open
from consult.database import is_postgresql
from consult.errors import PermissionDenied, ValidationFailed
from consult.extensions import db
from consult.registration import counting
from consult.registration.models import Registration, StakeholderType

POINTS_TOTAL = 10
# Spreads closer than this are equal (float shares of whole points).
SPREAD_TIE = 1e-9


def ballot_of(registration) -> dict[int, int]:
    """The registrant's saved points or ranks: challenge id -> value."""
    rows = db.session.execute(
        select(Priority.challenge_id, Priority.points, Priority.rank).where(
            Priority.registration_id == registration.id
        )
    )
    return {cid: points if points is not None else rank for cid, points, rank in rows}


def _check_points(values: dict[int, int], ids: list[int]) -> None:
    if any(v < 0 for v in values.values()):
        raise ValidationFailed(_("Points cannot be negative."), "values")
    total = sum(values.get(cid, 0) for cid in ids)
    if total != POINTS_TOTAL:
        raise ValidationFailed(
            _(
                "Distribute exactly %(n)d points (you gave %(total)d).",
                n=POINTS_TOTAL,
                total=total,
            ),
            "values",
        )


def _check_ranking(values: dict[int, int], ids: list[int]) -> None:
    ranks = sorted(values.get(cid) or 0 for cid in ids)
    if ranks != list(range(1, len(ids) + 1)):
        raise ValidationFailed(
            _("Give each challenge a different place from 1 to %(n)d.", n=len(ids)),
            "values",
        )


def check_ballot(event, values: dict[int, int | None]) -> list[int]:
    """The event's challenge ids, or ValidationFailed when the ballot (points
    or ranks by challenge id) breaks the event's method; nothing written."""
    ids = [c.id for c in event_challenges(event)]
    if not ids:
        raise ValidationFailed(_("This event has no challenges to prioritise."))
    if any(v is None for v in values.values()):
        raise ValidationFailed(_("Enter a whole number for each challenge."), "values")
    unknown = set(values) - set(ids)
    if unknown:
        raise ValidationFailed(_("Prioritise only this event's challenges."), "values")
    method = settings_for(event).priority_method
    if method == "points":
        _check_points(values, ids)
    else:
        _check_ranking(values, ids)
    return ids


def save_priorities(
    registration,
    values: dict[int, int],
    *,
    now: datetime,
    facilitated_by=None,
    channel: str | None = None,
) -> None:
    """Store a confirmed registrant's points or ranking (replacing an earlier one).

    ``facilitated_by`` and ``channel``: a facilitator recorded the ballot on
    the person's behalf (consult.facilitators); it counts like any other.
    """
    event = registration.event
    if registration.status != "confirmed" or registration.erased_at is not None:
        raise PermissionDenied(_("Only confirmed registrants can prioritise."))
    if not window_open(event, now):
        raise PermissionDenied(_("Prioritisation is closed for this event."))
    ids = check_ballot(event, values)
    method = settings_for(event).priority_method
    # One ballot per person: concurrent saves by the same registrant queue on
    # their row instead of colliding on the unique constraint.
    db.session.execute(
        select(Registration.id)
        .where(Registration.id == registration.id)
        .with_for_update()
    )
    db.session.execute(
        delete(Priority).where(Priority.registration_id == registration.id)
    )
    for cid in ids:
        value = values.get(cid, 0)
        db.session.add(
            Priority(
                event_id=event.id,
                registration_id=registration.id,
                challenge_id=cid,
                points=value if method == "points" else None,
                rank=value if method == "ranking" else None,
                updated_at=now,
                facilitated_by_id=getattr(facilitated_by, "id", None),
                channel=channel if facilitated_by is not None else None,
            )
        )
    db.session.flush()


@dataclass
class TypeRow:
    type_id: int
    label: str
    ballots: int
    scores: dict[int, int] = field(default_factory=dict)
    shares: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ArchivedShare:
    """A challenge archived after people prioritised it: left out of the results."""

    title: str
    ballots: int  # counted ballots that gave it points (or a place)
    points: int  # points it had (ranking: none, the others are re-numbered)


@dataclass
class PriorityResults:
    method: str
    challenges: list[Challenge]
    ballots: int
    overall: dict[int, int]
    overall_shares: dict[int, float]
    by_type: list[TypeRow]
    spread: dict[int, float]  # max minus min share between types
    archived: list[ArchivedShare] = field(default_factory=list)

    @property
    def most_disputed(self) -> list[Challenge]:
        return sorted(self.challenges, key=lambda c: -self.spread.get(c.id, 0.0))

    @property
    def most_disputed_tied(self) -> list[Challenge]:
        """Every challenge at the highest spread (ties named, none when 0)."""
        top = max(self.spread.values(), default=0.0)
        if top <= 0:
            return []
        return [c for c in self.challenges
                if abs(self.spread.get(c.id, 0.0) - top) < SPREAD_TIE]  # fmt: skip


def _score(method: str, n: int, ballots):
    # A ranking scores n points for first place down to 1 for the last,
    # places counted among the challenges that are not archived.
    if method == "points":
        return ballots.c.points
    return case((ballots.c.place <= n, n + 1 - ballots.c.place), else_=0)


def _counted_ballots(event, method: str):
    """The counted priorities (``counting.voter``, challenge not archived), with
    each one's place among the ballot's challenges left (rankings only: the
    window sorts every ballot, which points do not need)."""
    if method == "ranking":
        place = func.row_number().over(
            partition_by=Priority.registration_id,
            order_by=(Priority.rank, Priority.challenge_id),
        )
    else:
        place = Priority.rank
    return (
        select(
            Registration.stakeholder_type_id.label("type_id"),
            Priority.challenge_id.label("challenge_id"),
            Priority.registration_id.label("registration_id"),
            Priority.points.label("points"),
            place.label("place"),
        )
        .join(Registration, Registration.id == Priority.registration_id)
        .join(Challenge, Challenge.id == Priority.challenge_id)
        .where(
            Priority.event_id == event.id,
            counting.voter(),
            Challenge.archived_at.is_(None),
        )
        .subquery()
    )


def archived_shares(archived: list[Challenge]) -> list[ArchivedShare]:
    """Those of the ``archived`` challenges that counted ballots gave points
    (or a place) to; no query when there are none."""
    if not archived:
        return []
    given = case((Priority.points > 0, 1), (Priority.rank.is_not(None), 1), else_=0)
    rows = db.session.execute(
        select(
            Challenge.title,
            func.sum(given),
            func.coalesce(func.sum(Priority.points), 0),
        )
        .join(Priority, Priority.challenge_id == Challenge.id)
        .join(Registration, Registration.id == Priority.registration_id)
        .where(
            Priority.challenge_id.in_([c.id for c in archived]),
            counting.voter(),
        )
        .group_by(Challenge.id, Challenge.title, Challenge.position)
        .order_by(Challenge.position, Challenge.id)
    )
    return [
        ArchivedShare(title, int(n or 0), int(points or 0))
        for title, n, points in rows
        if n
    ]


def _points_and_ballots(base) -> tuple[list, dict]:
    """[(type, challenge, points)] and {type: ballots} from the priorities.

    PostgreSQL groups both in one scan of the priorities (GROUPING SETS; a
    ballot count needs DISTINCT, so it cannot be summed from the finer
    groups); SQLite has no grouping sets and scans twice.
    """
    points = func.sum(base.c.score)
    ballots = func.count(func.distinct(base.c.registration_id))
    if is_postgresql(db.session):
        rows = db.session.execute(
            select(
                base.c.type_id,
                base.c.challenge_id,
                points,
                ballots,
                func.grouping(base.c.challenge_id),
            ).group_by(
                func.grouping_sets(
                    tuple_(base.c.type_id, base.c.challenge_id),
                    tuple_(base.c.type_id),
                )
            )
        ).all()
        per_type = [(t, c, total) for t, c, total, _b, whole in rows if not whole]
        return per_type, {t: n for t, _c, _p, n, whole in rows if whole}
    per_type = db.session.execute(
        select(base.c.type_id, base.c.challenge_id, points).group_by(
            base.c.type_id, base.c.challenge_id
        )
    ).all()
    by_type = select(base.c.type_id, ballots).group_by(base.c.type_id)
    return per_type, dict(db.session.execute(by_type).all())


def priority_results(event) -> PriorityResults:
    """Points per challenge overall and per stakeholder type, shares and spread."""
    method = settings_for(event).priority_method
    every = event_challenges(event, include_archived=True)
    challenges = [c for c in every if c.archived_at is None]
    ballots = _counted_ballots(event, method)
    score = _score(method, len(challenges), ballots).label("score")
    base = select(
        ballots.c.type_id,
        ballots.c.challenge_id,
        ballots.c.registration_id,
        score,
    ).subquery()
    # The points per type and challenge, and the ballots per type; the type
    # totals, shares and overall sums follow from those few rows (at most
    # types x challenges).
    per_type, ballots_by_type = _points_and_ballots(base)
    type_totals: dict = {}
    overall: dict[int, int] = {}
    for type_id, cid, total in per_type:
        total = int(total or 0)
        type_totals[type_id] = type_totals.get(type_id, 0) + total
        overall[cid] = overall.get(cid, 0) + total
    share_rows = [
        (
            type_id,
            cid,
            total,
            (int(total or 0) / type_totals[type_id]) if type_totals[type_id] else 0.0,
        )
        for type_id, cid, total in per_type
        if type_id is not None
    ]
    types = db.session.scalars(
        select(StakeholderType)
        .where(StakeholderType.event_id == event.id)
        .order_by(StakeholderType.position, StakeholderType.id)
    )
    rows = {t.id: TypeRow(t.id, t.label, ballots_by_type.get(t.id, 0)) for t in types}
    for type_id, cid, total, share in share_rows:
        if type_id not in rows:
            continue
        rows[type_id].scores[cid] = int(total or 0)
        rows[type_id].shares[cid] = float(share or 0.0)
    voting = [row for row in rows.values() if row.ballots]
    spread = {}
    for c in challenges:
        shares = [row.shares.get(c.id, 0.0) for row in voting]
        spread[c.id] = (max(shares) - min(shares)) if len(shares) > 1 else 0.0
    grand = sum(overall.values())
    return PriorityResults(
        method=method,
        challenges=challenges,
        ballots=sum(ballots_by_type.values()),
        overall=overall,
        overall_shares={c: (v / grand if grand else 0.0) for c, v in overall.items()},
        by_type=list(rows.values()),
        spread=spread,
        archived=archived_shares([c for c in every if c.archived_at is not None]),
    )
