"""A participant's own directory profile: joining, leaving, what they tell others."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update

from consult.challenges.models import Challenge
from consult.directory.models import (
    LOOKING_FOR_MAX,
    OFFERING_MAX,
    TOPICS_MAX,
    DirectoryProfile,
    DirectoryReport,
    MeetingRequest,
)
from consult.directory.services.listing import directory_open
from consult.errors import PermissionDenied, Problems
from consult.extensions import db
from consult.registration.models import Registration
from consult.registration.services.privacy import on_erase


@dataclass
class ProfileData:
    listed: bool
    looking_for: str = ""
    offering: str = ""
    topics: str = ""
    challenge_ids: list[int] = field(default_factory=list)


def profile_of(registration: Registration) -> DirectoryProfile | None:
    return db.session.scalar(
        select(DirectoryProfile).where(
            DirectoryProfile.registration_id == registration.id
        )
    )


def _text(problems: Problems, value: str, limit: int, name: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        problems.add(
            ngettext(
                "Please keep this to %(num)d character or fewer.",
                "Please keep this to %(num)d characters or fewer.",
                limit,
            ),
            name,
        )
    return text


def save_profile(
    registration: Registration, data: ProfileData, *, now: datetime
) -> DirectoryProfile:
    """Join or leave the directory and save the profile; leaving takes effect
    at once (the listing reads the consent)."""
    if data.listed and not directory_open(registration):
        raise PermissionDenied(
            _("The directory is open to confirmed participants only.")
        )
    problems = Problems()
    looking_for = _text(problems, data.looking_for, LOOKING_FOR_MAX, "looking_for")
    offering = _text(problems, data.offering, OFFERING_MAX, "offering")
    topics = _text(problems, data.topics, TOPICS_MAX, "topics")
    wanted = set(data.challenge_ids)
    challenges = list(
        db.session.scalars(
            select(Challenge).where(
                Challenge.event_id == registration.event_id,
                Challenge.archived_at.is_(None),
                Challenge.id.in_(wanted or [0]),
            )
        )
    )
    if len(challenges) != len(wanted):
        problems.add(_("Choose among this event's challenges."), "challenges")
    problems.raise_any()
    profile = profile_of(registration)
    if profile is None:
        profile = DirectoryProfile(registration_id=registration.id)
        db.session.add(profile)
    profile.looking_for = looking_for
    profile.offering = offering
    profile.topics = topics
    profile.challenges = challenges
    profile.updated_at = now
    registration.consent_listing = data.listed
    db.session.flush()
    return profile


def leave_directory(registration: Registration) -> None:
    """Withdraw the consent to the listing: out of the directory at once."""
    registration.consent_listing = False
    db.session.flush()


def erase_directory_data(registration: Registration) -> None:
    """On erasure: the profile goes, and the texts the person wrote to others
    (request messages, report reasons) are emptied."""
    db.session.execute(
        delete(DirectoryProfile).where(
            DirectoryProfile.registration_id == registration.id
        )
    )
    db.session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.sender_id == registration.id)
        .values(message="")
    )
    db.session.execute(
        update(DirectoryReport)
        .where(DirectoryReport.reporter_id == registration.id)
        .values(reason="")
    )


on_erase(erase_directory_data)
