"""The host city's challenges: its representative proposes, the organisers approve.

The representative is invited with a personal link and may propose and edit
challenges until the event starts. Approval creates the event's real challenge
through the challenges services, and only then does it appear publicly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.categories import CATEGORIES
from consult.challenges.models import Challenge
from consult.challenges.services import ChallengeData, add_challenge
from consult.content import text_in
from consult.contributions.models import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    CityChallenge,
    CityRepresentative,
)
from consult.contributions.services.common import (
    clean_links,
)
from consult.errors import Conflict, NotFound, Problems, ValidationFailed
from consult.events.access import require_manager
from consult.extensions import db
from consult.languages import checked_language, composing_for, event_language
from consult.links import external_url
from consult.notifications.services import normalise_recipient, queue_email
from consult.signing import new_nonce, row_from_token, sign_row
from consult.text import clean_text


@dataclass
class CityChallengeData:
    title: str
    description: str = ""
    category: str = "other"
    evidence_links: str | list[str] = ""


def representative_token(rep: CityRepresentative) -> str:
    return sign_row("city-representative", rep.id, rep.nonce)


def representative_from_token(token: str) -> CityRepresentative:
    """The representative a personal link names; NotFound if bad or revoked."""
    rep = row_from_token(
        "city-representative",
        token,
        get=lambda i: db.session.get(CityRepresentative, i),
        nonce_of=lambda r: r.nonce,
    )
    if rep is None or rep.revoked_at is not None:
        raise NotFound(_("This link is not valid."))
    return rep


def representative_url(rep: CityRepresentative) -> str:
    return external_url(
        "contributions.city_home",
        slug=rep.event.slug,
        token=representative_token(rep),
    )


def event_representatives(event) -> list[CityRepresentative]:
    return list(
        db.session.scalars(
            select(CityRepresentative)
            .where(CityRepresentative.event_id == event.id)
            .order_by(CityRepresentative.id)
        )
    )


def invite_representative(
    event,
    actor,
    *,
    name: str,
    email: str,
    city: str = "",
    now: datetime,
    language: str | None = None,
) -> CityRepresentative:
    """Invite the city's representative; their personal link goes by email,
    in ``language`` (None: the event's language), which they may change."""
    require_manager(actor, event)
    rep = CityRepresentative(
        **_checked_invitation(event, name, email, city, language),
        event_id=event.id,
        nonce=new_nonce(),
        invited_at=now,
    )
    rep.event = event
    try:
        with db.session.begin_nested():
            db.session.add(rep)
    except IntegrityError as exc:
        raise _invited_already() from exc
    with composing_for(rep) as language:
        queue_email(
            template="contribution_city_invitation",
            to=rep.email,
            to_name=rep.name,
            subject=_(
                "Submit your city's challenges for %(title)s",
                title=text_in(event, "title"),
            ),
            context={"rep": rep, "event": event, "city_url": representative_url(rep)},
            dedup_key=f"contribution-city:{rep.id}:invited",
            now=now,
            event=event,
            language=language,
        )
    return rep


def check_invitation(
    event, *, name: str, email: str, city: str = "", language: str | None = None
) -> None:
    """Every problem with a representative's invitation, raised together;
    nothing is written."""
    _checked_invitation(event, name, email, city, language)


def _checked_invitation(event, name, email, city, language) -> dict:
    """The invitation's column values, or ValidationFailed with every problem."""
    problems = Problems()
    values = {
        "name": problems.take(clean_text, name, "name", max_length=200, required=True),
        "email": problems.take(_invitee_email, event, email),
        "city": problems.take(
            clean_text, city or event.host_city, "city", max_length=120
        ),
        "language": problems.take(checked_language, language or event_language(event)),
    }
    problems.raise_any()
    return values


def _invitee_email(event, address: str | None) -> str:
    """The address, valid and not invited for the event already."""
    try:
        email = normalise_recipient(address or "")
    except ValidationFailed:
        raise ValidationFailed(_("Invalid email address."), "email") from None
    invited = db.session.scalar(
        select(CityRepresentative.id).where(
            CityRepresentative.event_id == event.id, CityRepresentative.email == email
        )
    )
    if invited is not None:
        raise _invited_already()
    return email


def _invited_already() -> ValidationFailed:
    return ValidationFailed(
        _("This person is already invited for this event."), field="email"
    )


def set_representative_language(rep: CityRepresentative, language: str | None):
    """The representative's own choice of language for messages."""
    rep.language = checked_language(language)
    db.session.flush()


def revoke_representative(event, actor, rep_id: int, *, now: datetime) -> None:
    """The link stops working; what was proposed stays."""
    require_manager(actor, event)
    rep = db.session.get(CityRepresentative, rep_id)
    if rep is None or rep.event_id != event.id:
        raise NotFound(_("No such representative."))
    rep.revoked_at = now
    rep.nonce = new_nonce()
    db.session.flush()


def can_propose(rep: CityRepresentative, now: datetime) -> bool:
    event = rep.event
    return rep.revoked_at is None and not event.is_cancelled and now < event.start_at


def check_city_challenge(data: CityChallengeData) -> None:
    """Every problem with a proposed challenge, raised together; nothing written."""
    _clean(data)


def _clean(data: CityChallengeData) -> dict:
    """The challenge's column values, or ValidationFailed with every problem."""
    problems = Problems()
    if data.category not in CATEGORIES:
        problems.add(_("Choose a category from the list."), "category")
    values = {
        "title": problems.take(
            clean_text, data.title, "title", max_length=TITLE_MAX, required=True
        ),
        "description": problems.take(
            clean_text, data.description, "description", max_length=DESCRIPTION_MAX
        ),
        "category": data.category,
        "evidence_links": problems.take(
            clean_links, data.evidence_links, "evidence_links"
        ),
    }
    problems.raise_any()
    return values


def propose_challenge(
    rep: CityRepresentative, data: CityChallengeData, *, now: datetime
) -> CityChallenge:
    """The representative proposes a challenge, before the event."""
    if not can_propose(rep, now):
        raise Conflict(_("Challenges can be proposed until the event starts."))
    item = CityChallenge(
        event_id=rep.event_id,
        representative_id=rep.id,
        status="submitted",
        created_at=now,
        updated_at=now,
        **_clean(data),
    )
    db.session.add(item)
    db.session.flush()
    return item


def own_challenge(rep: CityRepresentative, item_id: int) -> CityChallenge:
    item = db.session.get(CityChallenge, item_id)
    if item is None or item.representative_id != rep.id:
        raise NotFound(_("No such challenge."))
    return item


def update_proposed_challenge(
    rep: CityRepresentative, item: CityChallenge, data: CityChallengeData, *, now
) -> CityChallenge:
    """The representative edits a challenge the organisers have not approved yet."""
    if item.representative_id != rep.id:
        raise NotFound(_("No such challenge."))
    if not can_propose(rep, now):
        raise Conflict(_("Challenges can be edited until the event starts."))
    if item.status == "approved":
        raise Conflict(
            _("This challenge is approved; ask the organisers to change it.")
        )
    for key, value in _clean(data).items():
        setattr(item, key, value)
    item.status = "submitted"  # an edited, rejected challenge is looked at again
    item.decided_at = None
    item.updated_at = now
    db.session.flush()
    return item


def event_city_challenges(event) -> list[CityChallenge]:
    return list(
        db.session.scalars(
            select(CityChallenge)
            .where(CityChallenge.event_id == event.id)
            .order_by(CityChallenge.id)
        )
    )


def city_challenge_of(event, item_id: int) -> CityChallenge:
    item = db.session.get(CityChallenge, item_id)
    if item is None or item.event_id != event.id:
        raise NotFound(_("No such challenge."))
    return item


def _description_with_evidence(item: CityChallenge) -> str:
    if not item.evidence_links:
        return item.description
    lines = "\n".join(f"- <{link}>" for link in item.evidence_links)
    return f"{item.description}\n\n**{_('Evidence')}**\n\n{lines}".strip()


def approve_city_challenge(
    event, actor, item: CityChallenge, *, now: datetime, existing: Challenge = None
) -> Challenge:
    """Approve: create the event's challenge (or link an existing one) from it."""
    require_manager(actor, event)
    if item.event_id != event.id:
        raise NotFound(_("No such challenge."))
    if item.status == "approved":
        raise Conflict(_("This challenge is already approved."))
    if existing is not None:
        if existing.event_id != event.id:
            raise NotFound(_("No such challenge."))
        challenge = existing
    else:
        challenge = add_challenge(
            event,
            actor,
            ChallengeData(
                title=item.title,
                description=_description_with_evidence(item),
                category=item.category,
                city=item.representative.city,
            ),
            now=now,
        )
    item.status = "approved"
    item.challenge_id = challenge.id
    item.decided_at = now
    item.updated_at = now
    db.session.flush()
    return challenge


def reject_city_challenge(event, actor, item: CityChallenge, *, now: datetime):
    """Turn a proposed challenge down; the representative may edit and resend it."""
    require_manager(actor, event)
    if item.event_id != event.id:
        raise NotFound(_("No such challenge."))
    if item.status == "approved":
        raise Conflict(_("An approved challenge is managed on the challenges page."))
    item.status = "rejected"
    item.decided_at = now
    item.updated_at = now
    db.session.flush()
