"""Proposals by their proposers: submit, edit while the call is open, withdraw."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.challenges.models import Challenge
from consult.content import text_in
from consult.contributions.models import (
    ABSTRACT_MAX,
    BIO_MAX,
    TITLE_MAX,
    Proposal,
    ProposalChallenge,
    ProposalSpeaker,
)
from consult.contributions.services.calls import call_for, call_open, kind_label
from consult.contributions.services.common import lock_proposal, proposal_url
from consult.contributions.services.decisions import remove_from_agenda
from consult.contributions.services.files import Upload, check_upload, store
from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.extensions import db
from consult.languages import checked_language, composing_for
from consult.notifications.services import normalise_recipient, queue_email
from consult.signing import new_nonce
from consult.storage.services import delete_file
from consult.text import clean_text
from consult.timeutil import is_valid_timezone

MAX_SPEAKERS = 6


@dataclass
class SpeakerInput:
    name: str
    email: str = ""
    affiliation: str = ""
    city: str = ""
    country: str = ""
    bio: str = ""
    timezone: str = ""
    # The speaker's language for messages; None: the proposer's.
    language: str | None = None


@dataclass
class ProposalData:
    title: str
    abstract: str
    kind: str
    duration_minutes: int | None
    speakers: list[SpeakerInput] = field(default_factory=list)
    challenge_ids: list[int] = field(default_factory=list)
    consent_publish: bool = False
    proposer_name: str = ""
    proposer_email: str = ""
    # The proposer's language for messages; None: not asked (left as it is).
    language: str | None = None
    slides: Upload | None = None


def _clean_speakers(
    event, speakers: list[SpeakerInput], default_language: str | None
) -> list[dict]:
    cleaned = []
    for speaker in speakers:
        if not (speaker.name or "").strip() and not (speaker.email or "").strip():
            continue  # an empty row of the form
        name = clean_text(speaker.name, "speakers", max_length=200)
        if not name:
            raise ValidationFailed(_("Every speaker needs a name."), field="speakers")
        email = (speaker.email or "").strip()
        if email:
            try:
                email = normalise_recipient(email)
            except ValidationFailed as exc:
                raise ValidationFailed(
                    _("%(name)s: the email address is not valid.", name=name),
                    field="speakers",
                ) from exc
        zone = speaker.timezone or event.timezone
        if not is_valid_timezone(zone):
            raise ValidationFailed(_("Choose a time zone from the list."), "speakers")
        language = checked_language(
            speaker.language or default_language, "speakers", optional=True
        )
        cleaned.append(
            {
                "name": name,
                "email": email,
                "affiliation": clean_text(
                    speaker.affiliation, "speakers", max_length=200
                ),
                "city": clean_text(speaker.city, "speakers", max_length=120),
                "country": clean_text(speaker.country, "speakers", max_length=120),
                "bio": clean_text(speaker.bio, "speakers", max_length=BIO_MAX),
                "timezone": zone,
                "language": language,
            }
        )
    if not cleaned:
        raise ValidationFailed(_("Name at least one speaker."), field="speakers")
    if len(cleaned) > MAX_SPEAKERS:
        raise ValidationFailed(
            _("At most %(n)d speakers, please.", n=MAX_SPEAKERS), field="speakers"
        )
    return cleaned


def _clean(event, call, data: ProposalData, default_language=None, problems=None):
    """A proposal's values; every problem goes to ``problems`` (raised here
    when the caller gave none)."""
    mine = problems is None
    problems = Problems() if mine else problems
    kinds = (call.kinds if call else None) or {}
    if data.kind not in kinds:
        problems.add(_("Choose one of the kinds this call seeks."), "kind")
    elif data.duration_minutes not in kinds[data.kind]:
        problems.add(
            _(
                "A %(kind)s lasts %(allowed)s minutes.",
                kind=kind_label(data.kind).lower(),
                allowed=", ".join(str(a) for a in kinds[data.kind]),
            ),
            "duration_minutes",
        )
    challenge_ids = sorted(set(data.challenge_ids or []))
    if challenge_ids and _known_challenges(event, challenge_ids) != set(challenge_ids):
        problems.add(_("Choose challenges of this event only."), "challenge_ids")
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "abstract_md": problems.take(
            clean_text,
            data.abstract,
            "abstract",
            max_length=ABSTRACT_MAX,
            required=True,
        ),
        "kind": data.kind,
        "duration_minutes": data.duration_minutes,
        "consent_publish": bool(data.consent_publish),
        "speakers": problems.take(
            _clean_speakers, event, data.speakers, default_language
        ),
        "challenge_ids": challenge_ids,
    }
    if mine:
        problems.raise_any()
    return values


def _known_challenges(event, challenge_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(Challenge.id).where(
                Challenge.id.in_(challenge_ids),
                Challenge.event_id == event.id,
                Challenge.archived_at.is_(None),
            )
        )
    )


def _apply(proposal: Proposal, values: dict) -> None:
    for key in ("title", "abstract_md", "kind", "duration_minutes", "consent_publish"):
        setattr(proposal, key, values[key])
    existing = list(proposal.speakers)
    for position, speaker in enumerate(values["speakers"]):
        row = existing[position] if position < len(existing) else ProposalSpeaker()
        if position >= len(existing):
            proposal.speakers.append(row)
        for key, value in speaker.items():
            setattr(row, key, value)
        row.position = position
    for row in existing[len(values["speakers"]) :]:
        proposal.speakers.remove(row)
    wanted = set(values["challenge_ids"])
    for link in list(proposal.challenge_links):
        if link.challenge_id not in wanted:
            proposal.challenge_links.remove(link)
    have = {link.challenge_id for link in proposal.challenge_links}
    for challenge_id in sorted(wanted - have):
        proposal.challenge_links.append(ProposalChallenge(challenge_id=challenge_id))


def _set_slides(proposal: Proposal, upload: Upload | None, *, now: datetime) -> None:
    """Check and store new slides in place of the old ones (deleted with them)."""
    if upload is None:
        return
    checked = check_upload(upload)
    old = proposal.slides_file_id
    stored = store(upload, checked, now=now)
    proposal.slides_file_id = stored.id
    proposal.slides_original = (upload.filename or "")[:200]
    proposal.slides_type = checked.kind
    proposal.slides_size = checked.measured.size
    delete_file(old)


def clear_slides(proposal: Proposal) -> None:
    """The proposal keeps no slides; their bytes go in the same transaction."""
    old = proposal.slides_file_id
    proposal.slides_file_id = None
    proposal.slides_size = None
    proposal.slides_original = ""
    proposal.slides_type = ""
    delete_file(old)


def submit_proposal(event, data: ProposalData, *, now: datetime) -> Proposal:
    """A new proposal while the call is open; its personal link goes by email."""
    call = call_for(event)
    if not call_open(call, now):
        raise Conflict(_("The call for contributions is not open."))
    language, values, name, email = _checked_new(event, call, data)
    # Check the file last, and store it only once everything else is valid.
    proposal = Proposal(
        event_id=event.id,
        proposer_name=name,
        proposer_email=email,
        language=language,
        nonce=new_nonce(),
        status="submitted",
        created_at=now,
        updated_at=now,
    )
    proposal.event = event
    _apply(proposal, values)
    db.session.add(proposal)
    _set_slides(proposal, data.slides, now=now)
    db.session.flush()
    _queue_received(proposal, now=now)
    return proposal


def check_proposal(event, data: ProposalData) -> None:
    """Every problem with a new proposal's fields (its slides aside), raised
    together; nothing written."""
    _checked_new(event, call_for(event), data)


def _checked_new(event, call, data: ProposalData):
    problems = Problems()
    language = problems.take(checked_language, data.language, optional=True)
    values = _clean(event, call, data, language, problems)
    name = problems.take(
        clean_text, data.proposer_name, "proposer_name", max_length=200, required=True
    )
    email = problems.take(_proposer_email, data.proposer_email)
    problems.raise_any()
    return language, values, name, email


def _proposer_email(address: str | None) -> str:
    try:
        return normalise_recipient(address or "")
    except ValidationFailed:
        raise ValidationFailed(_("Invalid email address."), "proposer_email") from None


def editable(proposal: Proposal, now: datetime) -> bool:
    """Proposers edit until the call closes and while no decision was taken."""
    return proposal.status == "submitted" and call_open(call_for(proposal.event), now)


def update_proposal(proposal: Proposal, data: ProposalData, *, now: datetime) -> None:
    """The proposer's edit; replaced slides are deleted with the change."""
    if not editable(proposal, now):
        raise Conflict(
            _(
                "This proposal can no longer be edited: the call is closed or a "
                "decision was taken."
            )
        )
    values = _clean(proposal.event, call_for(proposal.event), data, proposal.language)
    _apply(proposal, values)
    _set_slides(proposal, data.slides, now=now)
    proposal.updated_at = now
    db.session.flush()


def set_proposal_language(proposal: Proposal, language: str | None, *, now) -> None:
    """The proposer's language for messages (one of LANGUAGES), at any time:
    the decision still to come is written in it."""
    proposal.language = checked_language(language)
    proposal.updated_at = now
    db.session.flush()


def remove_slides(proposal: Proposal, *, now: datetime) -> None:
    """The proposer takes the slides away; their bytes are deleted too."""
    if proposal.status == "withdrawn":
        raise Conflict(_("This proposal was withdrawn."))
    clear_slides(proposal)
    proposal.updated_at = now
    db.session.flush()


def withdraw_proposal(proposal: Proposal, *, now: datetime) -> None:
    """The proposer withdraws, at any time; an agenda session made from it goes."""
    lock_proposal(proposal)
    if proposal.status == "withdrawn":
        return
    remove_from_agenda(proposal, now=now)
    proposal.status = "withdrawn"
    proposal.withdrawn_at = now
    proposal.updated_at = now
    db.session.flush()


def proposal_of(event, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event.id:
        raise NotFound(_("No such proposal."))
    return proposal


def _queue_received(proposal: Proposal, *, now: datetime) -> None:
    event = proposal.event
    with composing_for(proposal) as language:
        queue_email(
            template="contribution_received",
            to=proposal.proposer_email,
            to_name=proposal.proposer_name,
            subject=_("Your proposal for %(title)s", title=text_in(event, "title")),
            context={
                "proposal": proposal,
                "event": event,
                "proposal_url": proposal_url(proposal),
                "call": call_for(event),
            },
            dedup_key=f"contribution:{proposal.id}:received",
            now=now,
            event=event,
            language=language,
        )
