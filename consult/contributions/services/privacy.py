"""A proposer's own data: export as JSON-ready data, and erasure.

Mirrors the registrants' export and erasure (consult.registration.services.
privacy): the export holds what is stored about the proposal and its people,
never the blind reviews (who rated, scores, comments); erasure keeps what the
organisers count (kind, duration, status, decision and its dates, ratings) and
removes who the people were.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.contributions.models import Proposal
from consult.contributions.services.calls import kind_label
from consult.contributions.services.common import lock_proposal
from consult.contributions.services.proposals import clear_slides, withdraw_proposal
from consult.extensions import db
from consult.signing import new_nonce
from consult.timeutil import iso_utc

ERASED_PROPOSER = "Erased proposer"
ERASED_SPEAKER = "Erased speaker"
# Statuses still waiting for a decision: erasing withdraws them.
OPEN_STATUSES = ("submitted", "reserve")


def _when(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment else None


def _challenges(proposal: Proposal) -> list[str]:
    ids = proposal.challenge_ids
    if not ids:
        return []
    rows = db.session.scalars(
        select(Challenge)
        .where(Challenge.id.in_(ids))
        .order_by(Challenge.position, Challenge.id)
    )
    return [c.title for c in rows]


def _decision(proposal: Proposal) -> dict | None:
    # The outcome and the message sent to the proposer; never who decided.
    if proposal.decided_at is None:
        return None
    return {
        "decision": proposal.status
        if proposal.status in ("accepted", "reserve", "rejected")
        else None,
        "message": proposal.decision_message,
        "decided_at": _when(proposal.decided_at),
    }


def _session(proposal: Proposal) -> dict | None:
    session = proposal.session
    if session is None:
        return None
    return {
        "title": session.title,
        "starts_at": _when(session.start_at),
        "ends_at": _when(session.end_at),
    }


def _slides(proposal: Proposal) -> dict | None:
    if proposal.slides_file_id is None:
        return None
    return {
        "file_name": proposal.slides_original,
        "type": proposal.slides_type,
        "size_bytes": proposal.slides_size,
    }


def export_proposal_data(proposal: Proposal) -> dict:
    """Everything stored about the proposal and its people (no reviews, no file)."""
    event = proposal.event
    return {
        "event": {"title": event.title, "slug": event.slug},
        "proposer": {
            "name": proposal.proposer_name,
            "email": proposal.proposer_email,
            "language": proposal.language,
        },
        "proposal": {
            "kind": proposal.kind,
            "kind_label": kind_label(proposal.kind),
            "title": proposal.title,
            "abstract": proposal.abstract_md,
            "duration_minutes": proposal.duration_minutes,
            "challenges": _challenges(proposal),
            "consent_publish_slides": proposal.consent_publish,
            "status": proposal.status,
            "submitted_at": _when(proposal.created_at),
            "updated_at": _when(proposal.updated_at),
            "withdrawn_at": _when(proposal.withdrawn_at),
        },
        "speakers": [
            {
                "name": s.name,
                "email": s.email,
                "affiliation": s.affiliation,
                "city": s.city,
                "country": s.country,
                "bio": s.bio,
                "timezone": s.timezone,
                "language": s.language,
            }
            for s in proposal.speakers
        ],
        "decision": _decision(proposal),
        "agenda_session": _session(proposal),
        "slides": _slides(proposal),
    }


def _erase_agenda_speakers(proposal: Proposal, *, now: datetime) -> None:
    """The agenda session made from the proposal loses its speakers' identities.

    An accepted proposal placed in the agenda keeps its session: the programme
    (and, after the event, the record of what happened) is the organisers', and
    taking a talk off the agenda is what "withdraw" does, offered separately.
    What a person who erases their data expects is that their name and
    details no longer appear anywhere, the public agenda included, so the
    session's speakers who came from the proposal (matched by name, so that
    anyone the organisers added themselves stays) keep their place in the
    session under a fixed label, without affiliation, city, country or bio.
    """
    session = proposal.session
    if session is None:
        return
    names = {s.name.strip().casefold() for s in proposal.speakers}
    changed = False
    for speaker in session.speakers:
        if speaker.name.strip().casefold() in names:
            speaker.name = ERASED_SPEAKER
            speaker.affiliation = speaker.city = speaker.country = speaker.bio = ""
            changed = True
    if changed:
        proposal.event.updated_at = now


def erase_proposal(proposal: Proposal, *, now: datetime) -> None:
    """Anonymise a proposal's people and delete their slides.

    A proposal still waiting for a decision is withdrawn first. Kind, duration,
    status, decision dates and ratings stay for the organisers' statistics;
    title and abstract stay as the contribution's content (and, when accepted,
    the agenda session's). A new nonce revokes every link mailed before.
    Erasing twice changes nothing more.
    """
    lock_proposal(proposal)
    if proposal.erased:
        return
    if proposal.status in OPEN_STATUSES:
        withdraw_proposal(proposal, now=now)
    _erase_agenda_speakers(proposal, now=now)
    proposal.proposer_name = ERASED_PROPOSER
    proposal.proposer_email = ""
    for speaker in proposal.speakers:
        speaker.name = ERASED_SPEAKER
        speaker.email = ""
        speaker.affiliation = speaker.city = speaker.country = speaker.bio = ""
        # Where someone lives is personal too; the event's zone is neutral.
        speaker.timezone = proposal.event.timezone
    # The organisers' message was addressed to the person and may name them.
    proposal.decision_message = ""
    proposal.consent_publish = False
    clear_slides(proposal)
    proposal.nonce = new_nonce()
    proposal.updated_at = now
    db.session.flush()
