"""Jitsi Meet: a room on a server, with personal links when it checks tokens.

A Jitsi server with token authentication (prosody's ``token`` auth) admits
whoever brings a JWT signed with the app's secret: HS256, ``iss`` the app
id, ``aud`` "jitsi", ``sub`` the server's host, ``room`` the room's name,
``exp`` when it stops working, and ``context.user`` (name, email,
moderator). Such a link is personal. Without token authentication the room's
address is the only link, the same for everyone. Jitsi has no API reporting
who attended: attendance stays with check-in or a CSV report.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jwt
from flask_babel import gettext as _

from consult.platforms.adapters.base import (
    Added,
    Meeting,
    MeetingSpec,
    Participant,
    Person,
    PlatformError,
)

DEFAULT_SERVER = "https://meet.jit.si"


class JitsiAdapter:
    name = "jitsi"
    has_report = False

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server = (config.get("JITSI_SERVER_URL") or DEFAULT_SERVER).rstrip("/")
        self.app_id = config.get("JITSI_APP_ID") or ""
        self.secret = config.get("JITSI_APP_SECRET") or ""
        self.key_id = config.get("JITSI_KEY_ID") or ""

    @property
    def personal_links(self) -> bool:
        return bool(self.app_id and self.secret)

    def room_url(self, room: str) -> str:
        return f"{self.server}/{urllib.parse.quote(room, safe='')}"

    def create_or_link(self, spec: MeetingSpec) -> Meeting:
        """A room exists as soon as someone opens it: nothing to call."""
        return Meeting("room", spec.meeting_id, self.room_url(spec.meeting_id))

    def token(self, room: str, person: Person, *, ends_at: datetime) -> str:
        """The JWT that admits this person to this room until ``ends_at``."""
        host = urllib.parse.urlsplit(self.server).hostname or ""
        claims = {
            "iss": self.app_id,
            "aud": "jitsi",
            "sub": host,
            "room": room,
            "exp": int(ends_at.timestamp()),
            "moderator": person.moderator,
            "context": {
                "user": {
                    "name": person.full_name,
                    "email": person.email,
                    "moderator": person.moderator,
                }
            },
        }
        headers = {"kid": self.key_id} if self.key_id else None
        return jwt.encode(claims, self.secret, algorithm="HS256", headers=headers)

    def add_registrant(
        self, meeting: Meeting, person: Person, *, ends_at: datetime
    ) -> Added:
        if not self.personal_links:
            return Added("", meeting.shared_url, personal=False)
        token = self.token(meeting.meeting_id, person, ends_at=ends_at)
        return Added("", f"{meeting.shared_url}?jwt={token}", personal=True)

    def remove_registrant(
        self, meeting: Meeting, registrant_id: str, email: str | None
    ) -> None:
        """Nothing to call: a token cannot be withdrawn, it expires with the event."""

    def fetch_participants(self, meeting: Meeting) -> list[Participant]:
        raise PlatformError(
            _("Jitsi Meet has no participants report: use check-in or a CSV report."),
            permanent=True,
        )
