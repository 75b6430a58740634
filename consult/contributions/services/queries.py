"""Lists of proposals for the review pages and the public page."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.contributions.models import PROPOSAL_STATUSES, Proposal
from consult.extensions import db

PAGE_SIZE = 25


def event_proposals(event, *, status: str | None = None, page: int = 1):
    """One page of the event's proposals, newest first, and the total count."""
    query = select(Proposal).where(Proposal.event_id == event.id)
    if status in PROPOSAL_STATUSES:
        query = query.where(Proposal.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, page)
    rows = list(
        db.session.scalars(
            query.order_by(Proposal.created_at.desc(), Proposal.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return rows, total


def slides_public(proposal: Proposal) -> bool:
    """Everyone may download once the session is published and the speaker agreed."""
    return (
        proposal.status == "accepted"
        and proposal.session_id is not None
        and proposal.event.is_published
        and proposal.consent_publish
        and proposal.slides_file_id is not None
    )


def accepted_public(event) -> list[Proposal]:
    """Accepted, placed proposals of a published event, in agenda order."""
    if not event.is_published:
        return []
    rows = db.session.scalars(
        select(Proposal).where(
            Proposal.event_id == event.id,
            Proposal.status == "accepted",
            Proposal.session_id.is_not(None),
        )
    )
    return sorted(rows, key=lambda p: (p.session.start_at, p.id))
