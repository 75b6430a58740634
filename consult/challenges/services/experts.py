"""Experts invited by email: a personal link, a short profile, the organiser's approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from consult.challenges.models import Expert, Input
from consult.challenges.services.common import sync_library
from consult.content import text_in
from consult.errors import Conflict, NotFound, ValidationFailed
from consult.extensions import db
from consult.languages import checked_language, composing_for, event_language
from consult.links import external_url
from consult.notifications.services import normalise_recipient, queue_email
from consult.registration.countries import is_country
from consult.signing import new_nonce, row_from_token, sign_row
from consult.text import clean_text
from consult.timeutil import is_valid_timezone


@dataclass
class ExpertProfile:
    name: str
    organisation: str = ""
    city: str = ""
    country: str = ""
    expertise: str = ""
    timezone: str = ""
    # The expert's language for messages; None: not asked (left as it is).
    language: str | None = None


def expert_token(expert: Expert) -> str:
    return sign_row("expert", expert.id, expert.nonce)


def expert_from_token(token: str) -> Expert:
    """The expert a personal link names; NotFound for a bad or revoked link."""
    expert = row_from_token(
        "expert",
        token,
        get=lambda i: db.session.get(Expert, i),
        nonce_of=lambda e: e.nonce,
    )
    if expert is None:
        raise NotFound(_("No such invitation."))
    return expert


def expert_url(expert: Expert) -> str:
    return external_url(
        "challenges.expert_home", slug=expert.event.slug, token=expert_token(expert)
    )


def event_experts(event) -> list[Expert]:
    return list(
        db.session.scalars(
            select(Expert)
            .where(Expert.event_id == event.id)
            .order_by(Expert.invited_at.desc(), Expert.id.desc())
        )
    )


def expert_of(event, expert_id: int) -> Expert:
    expert = db.session.get(Expert, expert_id)
    if expert is None or expert.event_id != event.id:
        raise NotFound(_("No such expert."))
    return expert


def invite_expert(
    event,
    actor,
    *,
    email: str,
    name: str,
    message: str = "",
    now: datetime,
    language: str | None = None,
) -> Expert:
    """Invite an expert by email; the invitation is queued in this transaction,
    in ``language`` (None: the event's language), which the expert may change."""
    try:
        address = normalise_recipient(email)
    except ValidationFailed as exc:
        raise ValidationFailed(_("Enter one valid email address."), "email") from exc
    name = clean_text(name, "name", max_length=200, required=True)
    message = clean_text(message, "message", max_length=2000)
    language = checked_language(language or event_language(event))
    expert = Expert(
        language=language,
        event_id=event.id,
        email=address.lower(),
        name=name,
        status="invited",
        nonce=new_nonce(),
        invited_by_id=getattr(actor, "id", None),
        invited_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(expert)
    except IntegrityError as exc:
        raise ValidationFailed(
            _("This address has already been invited to this event."), "email"
        ) from exc
    with composing_for(expert) as language:
        queue_email(
            template="expert_invitation",
            to=expert.email,
            to_name=expert.name,
            subject=_(
                "Your invitation to contribute: %(title)s",
                title=text_in(event, "title"),
            ),
            context={
                "expert": expert,
                "event": event,
                "inviter": actor,
                "message": message,
                "expert_url": expert_url(expert),
            },
            dedup_key=f"expert-invitation:{expert.id}",
            event=event,
            now=now,
            language=language,
        )
    return expert


def accept_invitation(expert: Expert, profile: ExpertProfile, *, now: datetime) -> None:
    """The expert completes their profile; an organiser then approves them."""
    if expert.status == "rejected":
        raise Conflict(_("The organisers did not accept this invitation."))
    expert.name = clean_text(profile.name, "name", max_length=200, required=True)
    expert.organisation = clean_text(
        profile.organisation, "organisation", max_length=200
    )
    expert.city = clean_text(profile.city, "city", max_length=120)
    country = clean_text(profile.country, "country", max_length=2).upper()
    if country and not is_country(country):
        raise ValidationFailed(_("Choose a country from the list."), "country")
    expert.country = country
    expert.expertise = clean_text(profile.expertise, "expertise", max_length=2000)
    if profile.timezone and not is_valid_timezone(profile.timezone):
        raise ValidationFailed(_("Choose a time zone from the list."), "timezone")
    expert.timezone = profile.timezone or expert.timezone
    if profile.language is not None:
        expert.language = checked_language(profile.language)
    if expert.status == "invited":
        expert.status = "accepted"
        expert.accepted_at = now
    db.session.flush()
    for item in _inputs_of(expert):
        sync_library(item)  # a consenting author's name may have changed


def _inputs_of(expert: Expert):
    return db.session.scalars(select(Input).where(Input.expert_id == expert.id))


def decide_expert(expert: Expert, actor, approve: bool, *, now: datetime) -> None:
    """Approve an expert (their inputs are marked as expert) or reject them."""
    if approve and expert.status == "invited":
        raise ValidationFailed(_("This expert has not yet accepted the invitation."))
    expert.status = "approved" if approve else "rejected"
    expert.decided_at = now
    db.session.execute(
        update(Input).where(Input.expert_id == expert.id).values(is_expert=approve)
    )
    db.session.flush()
    for item in _inputs_of(expert):
        db.session.refresh(item)
        sync_library(item)
