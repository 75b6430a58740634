"""Reviewers per event, blind ratings, averages, and the organisers' decisions.

Reviewers are user accounts. An organiser adds one by email: an existing
account is added as it is; for an unknown address an expert account without a
password is created and its owner gets a link to choose one (the password
reset link). Reviewers see and rate the proposals of the events they review,
nothing else. A reviewer sees the other ratings of a proposal only after
rating it; the event's organisers always see them, since they decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consult.auth.models import User
from consult.auth.services import (
    find_user_by_email,
    make_reset_token,
    normalise_email,
)
from consult.content import text_in
from consult.contributions.models import MESSAGE_MAX, Proposal, Rating, Reviewer
from consult.contributions.services.common import require_reviewer
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.events.access import can_manage, require_manager
from consult.extensions import db
from consult.languages import composing_for
from consult.links import external_url
from consult.notifications.services import queue_email
from consult.text import clean_text

DECISIONS = ("accepted", "rejected", "reserve")


def event_reviewers(event) -> list[Reviewer]:
    return list(
        db.session.scalars(
            select(Reviewer)
            .join(User, User.id == Reviewer.user_id)
            .where(Reviewer.event_id == event.id)
            .order_by(User.email)
        )
    )


def add_reviewer(event, actor, email: str, name: str = "", *, now: datetime):
    """Add an account (created and invited if new) as a reviewer of the event."""
    require_manager(actor, event)
    email = normalise_email(email)
    name = clean_text(name, "name", max_length=200)
    user = find_user_by_email(email)
    created = user is None
    if created:
        user = User(
            email=email,
            name=name,
            role="expert",
            password_hash=None,
            active=True,
            created_at=now,
        )
        db.session.add(user)
        db.session.flush()
    elif not user.active:
        raise ValidationFailed(_("This account is deactivated."), field="email")
    reviewer = Reviewer(event_id=event.id, user_id=user.id, added_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(reviewer)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("%(email)s already reviews this event.", email=email), field="email"
        ) from exc
    _queue_reviewer_invitation(event, user, created=created, now=now)
    return reviewer


def remove_reviewer(event, actor, reviewer_id: int, *, now: datetime) -> None:
    """Take a reviewer off the event; their ratings stay."""
    require_manager(actor, event)
    reviewer = db.session.get(Reviewer, reviewer_id)
    if reviewer is None or reviewer.event_id != event.id:
        raise NotFound(_("No such reviewer."))
    db.session.delete(reviewer)
    db.session.flush()


def _queue_reviewer_invitation(event, user: User, *, created: bool, now) -> None:
    context = {
        "event": event,
        "user": user,
        "review_url": external_url("contributions.manage", slug=event.slug),
        "set_password_url": (
            external_url("auth.reset_password", token=make_reset_token(user, now=now))
            if created
            else ""
        ),
    }
    with composing_for(user) as language:
        queue_email(
            template="contribution_reviewer",
            to=user.email,
            to_name=user.name,
            subject=_(
                "You review the proposals for %(title)s",
                title=text_in(event, "title"),
            ),
            context=context,
            dedup_key=f"contribution-reviewer:{event.id}:{user.id}:{int(now.timestamp())}",
            now=now,
            event=event,
            language=language,
        )


def rate(proposal: Proposal, actor, score: int, comment: str = "", *, now: datetime):
    """Record or change the actor's 1-5 rating of a proposal."""
    require_reviewer(actor, proposal.event)
    if proposal.status == "withdrawn":
        raise Conflict(_("This proposal was withdrawn."))
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed(_("Choose a rating from 1 to 5."), field="score")
    comment = clean_text(comment, "comment", max_length=2000)
    rating = own_rating(proposal, actor)
    if rating is None:
        rating = Rating(
            proposal_id=proposal.id,
            user_id=actor.id,
            score=score,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(rating)
        except IntegrityError:  # a second tab rated at the same time
            rating = own_rating(proposal, actor)
    rating.score = score
    rating.comment = comment
    rating.updated_at = now
    db.session.flush()
    return rating


def own_rating(proposal: Proposal, user) -> Rating | None:
    return db.session.scalar(
        select(Rating).where(
            Rating.proposal_id == proposal.id, Rating.user_id == user.id
        )
    )


def may_see_ratings(proposal: Proposal, user) -> bool:
    """Organisers always; a reviewer once they have rated the proposal."""
    return can_manage(user, proposal.event) or own_rating(proposal, user) is not None


@dataclass(frozen=True)
class RatingView:
    own: Rating | None
    visible: bool
    others: list[Rating]
    average: float | None
    count: int


def rating_view(proposal: Proposal, user) -> RatingView:
    """What a reviewer or organiser may see of a proposal's ratings."""
    require_reviewer(user, proposal.event)
    own = own_rating(proposal, user)
    visible = may_see_ratings(proposal, user)
    ratings = list(
        db.session.scalars(
            select(Rating).where(Rating.proposal_id == proposal.id).order_by(Rating.id)
        )
    )
    if not visible:
        return RatingView(own, False, [], None, len(ratings))
    others = [r for r in ratings if r.user_id != user.id]
    average = sum(r.score for r in ratings) / len(ratings) if ratings else None
    return RatingView(own, True, others, average, len(ratings))


def averages(event) -> dict[int, tuple[float, int]]:
    """proposal id -> (average score, number of ratings), computed in SQL."""
    rows = db.session.execute(
        select(Rating.proposal_id, func.avg(Rating.score), func.count(Rating.id))
        .join(Proposal, Proposal.id == Rating.proposal_id)
        .where(Proposal.event_id == event.id)
        .group_by(Rating.proposal_id)
    )
    return {pid: (float(avg), count) for pid, avg, count in rows}


def rated_by(event, user) -> set[int]:
    """Ids of the event's proposals the user has rated."""
    return set(
        db.session.scalars(
            select(Rating.proposal_id)
            .join(Proposal, Proposal.id == Rating.proposal_id)
            .where(Proposal.event_id == event.id, Rating.user_id == user.id)
        )
    )


def clean_message(message: str) -> str:
    return clean_text(message, "message", max_length=MESSAGE_MAX)
