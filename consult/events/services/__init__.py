"""Event services: business rules for events, their agenda and organisers.

Every service takes the acting user and ``now``, flushes but never commits,
and raises ``ValidationFailed(message, field=...)`` for bad input.
"""

from consult.events.services.agenda import (
    add_session,
    check_session,
    delete_session,
    update_session,
)
from consult.events.services.cloning import check_clone, clone_event
from consult.events.services.data import (
    EventData,
    PartnerCityData,
    SessionData,
    SpeakerData,
)
from consult.events.services.events import (
    cancel_event,
    check_event,
    create_event,
    publish_event,
    update_event,
)
from consult.events.services.organisers import (
    add_co_organiser,
    remove_co_organiser,
)
from consult.events.services.queries import managed_events, public_events
from consult.events.services.slugs import (
    RESERVED_SLUGS,
    clean_slug,
    slugify,
    unique_slug,
)

__all__ = [
    "RESERVED_SLUGS",
    "EventData",
    "PartnerCityData",
    "SessionData",
    "SpeakerData",
    "add_co_organiser",
    "add_session",
    "cancel_event",
    "check_clone",
    "check_event",
    "check_session",
    "clean_slug",
    "clone_event",
    "create_event",
    "delete_session",
    "managed_events",
    "public_events",
    "publish_event",
    "remove_co_organiser",
    "slugify",
    "unique_slug",
    "update_event",
    "update_session",
]
