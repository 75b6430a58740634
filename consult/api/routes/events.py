"""GET /api/v1/events and /api/v1/events/<slug>."""

from __future__ import annotations

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.schemas import EventDetail, EventFilter, EventPage
from consult.api.services.queries import event_types, events_page, visible_event
from consult.events.access import can_manage

blp = ApiBlueprint(
    "api_events",
    __name__,
    url_prefix=PREFIX + "/events",
    description="Events: the public ones, and those the token's owner manages.",
)


def event_summary(event, user) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "status": event.status,
        "timezone": event.timezone,
        "start_at": event.start_at,
        "end_at": event.end_at,
        "host_city": event.host_city,
        "host_country": event.host_country,
        "programme": event.programme.slug if event.programme_id else None,
        "managed": can_manage(user, event),
        "updated_at": event.updated_at,
    }


def event_detail(event, user) -> dict:
    return {
        **event_summary(event, user),
        "capacity": event.capacity,
        "confirmed_count": event.confirmed_count,
        "waiting_count": event.waiting_count,
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "sessions": [
            {
                "id": session.id,
                "title": session.title,
                "start_at": session.start_at,
                "end_at": session.end_at,
                "speakers": session.speakers,
            }
            for session in event.sessions
        ],
        "stakeholder_types": event_types(event),
    }


@blp.route("")
@needs("events:read")
@blp.etag
@blp.arguments(EventFilter, location="query", as_kwargs=True)
@blp.response(200, EventPage)
@document_errors(blp)
def list_events(**filters):
    """Events you may see: public ones and the ones you organise, by id.

    Filter by programme slug, status and start date; pages of `limit` with
    an opaque `next_cursor`.
    """
    user = api_user()
    page = events_page(user, **filters)
    return {
        "items": [event_summary(event, user) for event in page.items],
        "next_cursor": page.next_cursor,
    }


@blp.route("/<slug>")
@needs("events:read")
@blp.etag
@blp.response(200, EventDetail)
@document_errors(blp, 404)
def event(slug: str):
    """One event with its agenda (sessions, speakers) and stakeholder types."""
    user = api_user()
    return event_detail(visible_event(user, slug), user)
