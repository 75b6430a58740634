"""An organiser links an event to a Jitsi room or a Zoom meeting or webinar."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.errors import Conflict, NotFound, Problems
from consult.extensions import db
from consult.platforms.adapters import adapter_for
from consult.platforms.models import PlatformLink, PlatformRegistrant

_ZOOM_ID = re.compile(r"^\d{9,12}$")
_ROOM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,99}$")


@dataclass(frozen=True)
class LinkData:
    """The organiser's choice: the platform, the kind, an existing meeting."""

    platform: str
    kind: str = "meeting"  # Zoom: meeting or webinar
    existing_id: str = ""  # a Zoom meeting id or a Jitsi room name; empty: new


def link_of(event) -> PlatformLink | None:
    """The event's link to a platform, if any."""
    return db.session.scalar(
        select(PlatformLink).where(PlatformLink.event_id == event.id)
    )


def zoom_configured(config: Mapping[str, Any]) -> bool:
    """Whether the site has Zoom app credentials in its settings."""
    return all(
        config.get(name)
        for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
    )


def link_event(
    event, actor, data: LinkData, *, now: datetime, config: Mapping[str, Any]
) -> PlatformLink:
    """Link the event (access checked by the caller); a Zoom meeting is then
    created or checked by the job, a Jitsi room is ready at once."""
    if link_of(event) is not None:
        raise Conflict(_("This event is already linked to a platform."))
    problems = Problems()
    existing = re.sub(r"[\s-]", "", data.existing_id or "")
    if data.platform == "zoom":
        if not zoom_configured(config):
            problems.add(
                _(
                    "Zoom is not set up on this site (its app credentials are "
                    "missing from the settings): only Jitsi Meet can be linked."
                ),
                "platform",
            )
        if data.kind not in ("meeting", "webinar"):
            problems.add(_("Choose a meeting or a webinar."), "kind")
        if existing and not _ZOOM_ID.match(existing):
            problems.add(
                _("A Zoom meeting or webinar ID has 9 to 12 digits."), "existing_id"
            )
        kind = data.kind
    elif data.platform == "jitsi":
        existing = (data.existing_id or "").strip()
        if existing and not _ROOM.match(existing):
            problems.add(
                _("A room name has 3 to 100 letters, digits, hyphens or underscores."),
                "existing_id",
            )
        kind = "room"
        existing = existing or f"{event.slug[:80]}-{secrets.token_hex(5)}"
    else:
        problems.add(_("Choose a platform."), "platform")
        kind = "meeting"
    problems.raise_any()
    adapter = adapter_for(data.platform, config)
    link = PlatformLink(
        event_id=event.id,
        platform=data.platform,
        kind=kind,
        meeting_id=existing,
        personal_links=adapter.personal_links,
        create_meeting=data.platform == "zoom" and not existing,
        state="pending",
        linked_by_id=actor.id,
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
    )
    if data.platform == "jitsi":
        link.shared_url = adapter.room_url(existing)
        link.state = "ready"
        link.next_attempt_at = None
    db.session.add(link)
    db.session.flush()
    return link


def unlink_event(event, *, now: datetime) -> None:
    """Forget the event's platform and every registrant's place in it.

    Personal links stop being shown at once; what the platform holds stays
    there (the organiser closes the meeting on the platform if they wish).
    """
    link = link_of(event)
    if link is None:
        raise NotFound(_("This event is not linked to a platform."))
    db.session.execute(
        delete(PlatformRegistrant).where(PlatformRegistrant.event_id == event.id)
    )
    db.session.delete(link)
    db.session.flush()


def retry_link(event, *, now: datetime) -> PlatformLink:
    """Try creating or checking the meeting again after it failed."""
    link = link_of(event)
    if link is None:
        raise NotFound(_("This event is not linked to a platform."))
    if link.state != "failed":
        raise Conflict(_("The meeting is not in a failed state."))
    link.state = "pending"
    link.attempts = 0
    link.next_attempt_at = now
    link.last_error = ""
    link.updated_at = now
    db.session.flush()
    return link
