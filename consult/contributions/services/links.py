"""Lost links: a proposer asks for their personal links again, by email.

The answer on the page never says whether the address has proposals (no
enumeration): the links go only to the address stored on each proposal. Each
proposal gets at most one such email per LINK_RESEND_SECONDS, guarded by the
outbox's unique dedup key, so the form cannot be used to flood an inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.content import text_in
from consult.contributions.models import Proposal
from consult.contributions.services.common import proposal_url
from consult.errors import ValidationFailed
from consult.extensions import db
from consult.languages import composing_for
from consult.notifications.models import OutboundEmail
from consult.notifications.services import normalise_recipient, queue_email

# The same pace as a registrant's "here is your link again" email.
from consult.registration.services.register import LINK_RESEND_SECONDS


def _resend_key(proposal: Proposal, bucket: int) -> str:
    return f"contribution:{proposal.id}:link:{bucket}"


def _sent_recently(proposal: Proposal, bucket: int, *, now: datetime) -> bool:
    """A link email for this proposal in this window or the one before, < 10 min ago."""
    keys = [_resend_key(proposal, bucket), _resend_key(proposal, bucket - 1)]
    since = now - timedelta(seconds=LINK_RESEND_SECONDS)
    last = db.session.scalar(
        select(func.max(OutboundEmail.created_at)).where(
            OutboundEmail.dedup_key.in_(keys)
        )
    )
    return last is not None and last > since


def resend_links(event, email: str, *, now: datetime) -> int:
    """Email the personal link of each of this address's proposals for the event.

    Returns how many emails were queued (for tests and logs, never for the
    page). An address that is not valid is a ValidationFailed on ``email``.
    """
    try:
        address = normalise_recipient(email)
    except ValidationFailed as exc:
        raise ValidationFailed(
            _("Enter a valid email address, like name@example.org."), field="email"
        ) from exc
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.event_id == event.id,
            func.lower(Proposal.proposer_email) == address.lower(),
        )
        .order_by(Proposal.id)
    )
    bucket = int(now.timestamp()) // LINK_RESEND_SECONDS
    queued = 0
    for proposal in proposals:
        if proposal.erased or _sent_recently(proposal, bucket, now=now):
            continue
        _queue_link(proposal, bucket, now=now)
        queued += 1
    return queued


def _queue_link(proposal: Proposal, bucket: int, *, now: datetime) -> None:
    event = proposal.event
    with composing_for(proposal) as language:
        queue_email(
            template="contribution_link_resent",
            to=proposal.proposer_email,
            to_name=proposal.proposer_name,
            subject=_(
                "Your proposal's link for %(title)s", title=text_in(event, "title")
            ),
            context={
                "proposal": proposal,
                "event": event,
                "proposal_url": proposal_url(proposal),
            },
            dedup_key=_resend_key(proposal, bucket),
            now=now,
            event=event,
            language=language,
        )
