"""What Consult asks of a webinar platform.

Every call may raise ``PlatformError``: ``permanent`` when trying again cannot
help (a meeting that does not exist, a request the platform refuses), with
``retry_after`` seconds when the platform said when to come back (429).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class PlatformError(Exception):
    """A platform call that did not succeed; ``message`` is shown to organisers."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class MeetingSpec:
    """What the organiser chose: a new meeting, or an existing one by id."""

    kind: str  # room (Jitsi), meeting or webinar (Zoom)
    meeting_id: str  # empty: create one
    topic: str
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class Meeting:
    """A meeting the platform knows: its id and the link anyone may use."""

    kind: str
    meeting_id: str
    shared_url: str


@dataclass(frozen=True)
class Person:
    """Who is added: their name and address, and whether they host."""

    full_name: str
    email: str
    moderator: bool = False


@dataclass(frozen=True)
class Added:
    """A registrant on the platform: its id there and their link."""

    registrant_id: str
    join_url: str
    personal: bool


@dataclass(frozen=True)
class Participant:
    """One join of one person, from the platform's report (times aware UTC)."""

    name: str
    email: str
    join_time: datetime | None
    leave_time: datetime | None
    seconds: int


class Adapter(Protocol):
    """A webinar platform: its meeting, its registrants, its report."""

    name: str
    # Whether the platform gives each registrant a link of their own.
    personal_links: bool
    # Whether it can report who attended after the event.
    has_report: bool

    def create_or_link(self, spec: MeetingSpec) -> Meeting: ...

    def add_registrant(
        self, meeting: Meeting, person: Person, *, ends_at: datetime
    ) -> Added: ...

    def remove_registrant(
        self, meeting: Meeting, registrant_id: str, email: str | None
    ) -> None: ...

    def fetch_participants(self, meeting: Meeting) -> list[Participant]: ...
