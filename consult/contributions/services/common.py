"""Who may review an event's proposals; text checks; a proposal's personal link.

The link lives here, below proposals and decisions, because both send it.

Personal links to proposals and city representatives are signed by
consult.signing ("proposal", "city-representative").
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from consult.contributions.models import Proposal, Reviewer
from consult.database import is_postgresql
from consult.errors import NotFound, PermissionDenied, ValidationFailed
from consult.events.access import can_manage
from consult.extensions import db
from consult.links import external_url
from consult.signing import row_from_token, sign_row


def lock_proposal(proposal):
    """Re-read a proposal under a row lock, so decisions on it run one at a time.

    PostgreSQL: SELECT ... FOR UPDATE until commit. SQLite: write transactions
    begin with BEGIN IMMEDIATE (consult.database), so the re-read is enough.
    """
    query = (
        select(Proposal)
        .where(Proposal.id == proposal.id)
        .execution_options(populate_existing=True)
    )
    if is_postgresql(db.session):
        query = query.with_for_update()
    return db.session.scalar(query)


def is_reviewer(user, event) -> bool:
    """True when the user was added as a reviewer of this event."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    return (
        db.session.scalar(
            select(Reviewer.id).where(
                Reviewer.event_id == event.id, Reviewer.user_id == user.id
            )
        )
        is not None
    )


def can_review(user, event) -> bool:
    """Organisers of the event and its reviewers see and rate its proposals."""
    return can_manage(user, event) or is_reviewer(user, event)


def require_reviewer(user, event) -> None:
    if not can_review(user, event):
        raise PermissionDenied(_("You cannot review this event's proposals."))


def clean_links(raw: str | list[str], field: str, *, limit: int = 10) -> list[str]:
    """Web addresses (http or https), one per line, without duplicates."""
    lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    links: list[str] = []
    for line in lines:
        link = line.strip()
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            raise ValidationFailed(
                _("“%(link)s” is not a web address (http:// or https://).", link=link),
                field=field,
            )
        if len(link) > 500:
            raise ValidationFailed(_("A link may have at most 500 characters."), field)
        if link not in links:
            links.append(link)
    if len(links) > limit:
        raise ValidationFailed(_("At most %(n)d links, please.", n=limit), field)
    return links


def proposal_token(proposal: Proposal) -> str:
    return sign_row("proposal", proposal.id, proposal.nonce)


def proposal_from_token(token: str) -> Proposal:
    """The proposal a personal link opens; NotFound for a bad or revoked link."""
    proposal = row_from_token(
        "proposal",
        token,
        get=lambda i: db.session.get(Proposal, i),
        nonce_of=lambda p: p.nonce,
    )
    if proposal is None:
        raise NotFound(_("This link is not valid."))
    return proposal


def proposal_url(proposal: Proposal) -> str:
    return external_url(
        "contributions.proposal",
        slug=proposal.event.slug,
        token=proposal_token(proposal),
    )
