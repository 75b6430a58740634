"""Who is in an event's directory, who may see it, and one page of it.

Listed: a confirmed, not erased registration that consents to the listing
and whose profile no organiser removed. Read at query time, so a withdrawn
consent, a cancellation or an erasure takes a person out at once. Viewing
is reciprocal: only people listed themselves see the others (see
``require_member``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select

from consult.challenges.models import Challenge
from consult.directory.models import (
    DirectoryBlock,
    DirectoryProfile,
    DirectoryProfileChallenge,
)
from consult.errors import NotFound, PermissionDenied
from consult.extensions import db
from consult.registration.models import Registration

PER_PAGE = 20


def _not_removed(registration_id):
    return ~exists().where(
        DirectoryProfile.registration_id == registration_id,
        DirectoryProfile.removed_at.is_not(None),
    )


def listed_conditions(event_id: int) -> list:
    """SQL conditions on Registration that make a person listed in the event."""
    return [
        Registration.event_id == event_id,
        Registration.status == "confirmed",
        Registration.consent_listing.is_(True),
        Registration.erased_at.is_(None),
        _not_removed(Registration.id),
    ]


def is_listed(registration: Registration) -> bool:
    """True when the registration appears in its event's directory."""
    return (
        db.session.scalar(
            select(Registration.id).where(
                Registration.id == registration.id,
                *listed_conditions(registration.event_id),
            )
        )
        is not None
    )


def directory_open(registration: Registration) -> bool:
    """Whether the person may open the directory at all (a confirmed seat at
    an event still on); being listed is asked separately."""
    return (
        registration.status == "confirmed"
        and registration.erased_at is None
        and not registration.event.is_cancelled
    )


def require_member(registration: Registration) -> None:
    """PermissionDenied unless the person may see the directory: confirmed
    and listed themselves."""
    if not directory_open(registration):
        raise PermissionDenied(
            _("The directory is open to confirmed participants only.")
        )
    if not is_listed(registration):
        raise PermissionDenied(
            _("Join the directory first: others see you as you see them.")
        )


def _blocked_either_way(viewer_id: int):
    return exists().where(
        or_(
            and_(
                DirectoryBlock.blocker_id == viewer_id,
                DirectoryBlock.blocked_id == Registration.id,
            ),
            and_(
                DirectoryBlock.blocker_id == Registration.id,
                DirectoryBlock.blocked_id == viewer_id,
            ),
        )
    )


@dataclass(frozen=True)
class DirectoryFilter:
    country: str = ""
    type_id: int | None = None
    challenge_id: int | None = None

    def as_args(self) -> dict:
        args = {
            "country": self.country,
            "type": self.type_id,
            "challenge": self.challenge_id,
        }
        return {key: value for key, value in args.items() if value}


def visible_query(viewer: Registration, filters: DirectoryFilter = DirectoryFilter()):
    """The listed people the viewer sees (not themselves, no blocks), by name."""
    query = select(Registration).where(
        *listed_conditions(viewer.event_id),
        Registration.id != viewer.id,
        ~_blocked_either_way(viewer.id),
    )
    if filters.country:
        query = query.where(Registration.country == filters.country)
    if filters.type_id:
        query = query.where(Registration.stakeholder_type_id == filters.type_id)
    if filters.challenge_id:
        query = query.where(
            exists().where(
                DirectoryProfile.registration_id == Registration.id,
                DirectoryProfileChallenge.profile_id == DirectoryProfile.id,
                DirectoryProfileChallenge.challenge_id == filters.challenge_id,
            )
        )
    return query.order_by(Registration.full_name, Registration.id)


def directory_page(viewer: Registration, filters: DirectoryFilter, *, page: int):
    """One page of the people the viewer sees."""
    require_member(viewer)
    return db.paginate(
        visible_query(viewer, filters),
        page=max(page, 1),
        per_page=PER_PAGE,
        error_out=False,
    )


def visible_person(viewer: Registration, registration_id: int) -> Registration:
    """A person the viewer sees in the directory; NotFound otherwise."""
    require_member(viewer)
    person = db.session.scalar(
        visible_query(viewer).where(Registration.id == registration_id)
    )
    if person is None:
        raise NotFound(_("This person is not in the directory."))
    return person


def profiles_of(registrations) -> dict[int, DirectoryProfile]:
    """Registration id -> profile, for the people on a page."""
    ids = [r.id for r in registrations]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(DirectoryProfile).where(DirectoryProfile.registration_id.in_(ids))
    )
    return {profile.registration_id: profile for profile in rows}


def filter_options(viewer: Registration) -> dict:
    """The countries among listed people, and the event's challenges."""
    countries = db.session.scalars(
        select(Registration.country)
        .where(*listed_conditions(viewer.event_id), Registration.country != "")
        .distinct()
        .order_by(Registration.country)
    )
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == viewer.event_id, Challenge.archived_at.is_(None))
        .order_by(Challenge.position, Challenge.id)
    )
    return {"countries": list(countries), "challenges": list(challenges)}
