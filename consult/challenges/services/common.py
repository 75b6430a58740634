"""Shared pieces of the challenges services: settings, the window, authors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from consult.challenges.models import ChallengeSettings, Expert, Input
from consult.extensions import db
from consult.library.services import sync_input_entry
from consult.registration.models import Registration
from consult.zones import country_zone

# Registrations that may contribute (submit, support): still taking part.
ACTIVE_STATUSES = ("confirmed", "waitlisted", "pending")


def settings_for(event) -> ChallengeSettings:
    """The event's challenge settings; a transient default when none are saved."""
    row = db.session.scalar(
        select(ChallengeSettings).where(ChallengeSettings.event_id == event.id)
    )
    return row or ChallengeSettings(event_id=event.id, priority_method="points")


def window_open(event, now: datetime) -> bool:
    """True while the submission window is open (it opens only once set)."""
    settings = settings_for(event)
    if settings.opens_at is None or now < settings.opens_at:
        return False
    return settings.closes_at is None or now < settings.closes_at


@dataclass(frozen=True)
class Author:
    """Who acts on inputs without an account: a registrant or an invited expert."""

    registration: Registration | None = None
    expert: Expert | None = None

    @property
    def event_id(self) -> int:
        return (self.registration or self.expert).event_id

    def owns(self, item: Input) -> bool:
        if self.registration is not None:
            return item.registration_id == self.registration.id
        return self.expert is not None and item.expert_id == self.expert.id

    def zone(self, event) -> str:
        """The zone the author's pages give times in: where they are.

        A registrant chose theirs; an expert gives theirs on their profile,
        until then their country's main zone, else the event's.
        """
        if self.registration is not None:
            return self.registration.timezone or event.timezone
        return (
            self.expert.timezone or country_zone(self.expert.country) or event.timezone
        )

    @property
    def may_contribute(self) -> bool:
        if self.registration is not None:
            reg = self.registration
            return reg.status in ACTIVE_STATUSES and reg.erased_at is None
        return self.expert is not None and self.expert.status in (
            "accepted",
            "approved",
        )


def sync_library(item: Input) -> None:
    """Tell the library an input changed (it keeps published best practices)."""
    db.session.flush()
    sync_input_entry(item)
