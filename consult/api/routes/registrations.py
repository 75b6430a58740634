"""An event's registrations: list, read, create (assisted), cancel, check in.

Every route needs a token whose owner manages the event (owner,
co-organiser, admin); any other event is 404, whether it exists or not.
"""

from __future__ import annotations

from consult.api.routes.auth import api_user, needs
from consult.api.routes.base import PREFIX, ApiBlueprint, document_errors
from consult.api.schemas import (
    NewRegistration,
    Registration,
    RegistrationFilter,
    RegistrationPage,
)
from consult.api.services.queries import managed_event, registrations_page
from consult.extensions import db
from consult.registration.services.organiser import (
    cancel_for_registrant,
    registration_of,
    set_checked_in,
)
from consult.registration.services.register import register
from consult.registration.services.validation import RegistrationData
from consult.timeutil import now_utc

blp = ApiBlueprint(
    "api_registrations",
    __name__,
    url_prefix=PREFIX + "/events/<slug>/registrations",
    description="Registrations of an event you manage.",
)
ONE = "/<int:registration_id>"


def registration_view(registration) -> dict:
    kind = registration.stakeholder_type
    return {
        **{
            name: getattr(registration, name)
            for name in Registration._declared_fields
            if name not in ("stakeholder_type", "event_timezone")
        },
        "stakeholder_type": {"id": kind.id, "key": kind.key, "label": kind.label},
        "event_timezone": registration.event.timezone,
    }


@blp.route("")
@needs("registrations:read")
@blp.etag
@blp.arguments(RegistrationFilter, location="query", as_kwargs=True)
@blp.response(200, RegistrationPage)
@document_errors(blp, 404)
def list_registrations(slug: str, **filters):
    """Registrations by id, filtered by status, stakeholder type key and
    last change; pages of `limit` with an opaque `next_cursor`."""
    event = managed_event(api_user(), slug)
    page = registrations_page(event, **filters)
    return {
        "items": [registration_view(r) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@blp.route(ONE)
@needs("registrations:read")
@blp.etag
@blp.response(200, Registration)
@document_errors(blp, 404)
def registration(slug: str, registration_id: int):
    """One registration."""
    event = managed_event(api_user(), slug)
    return registration_view(registration_of(event, registration_id))


@blp.route("", methods=["POST"])
@needs("registrations:write")
@blp.arguments(NewRegistration)
@blp.response(201, Registration)
@blp.alt_response(200, schema=Registration, description="Already registered")
@document_errors(blp, 404, 409)
def create_registration(payload: dict, slug: str):
    """Register someone as an organiser does (assisted registration): the
    capacity, per-type caps, waiting list and approval rules apply, and the
    person gets their confirmation by email or SMS. An email already
    registered answers 200 with that registration (its link is sent again)."""
    user = api_user()
    event = managed_event(user, slug)
    payload["timezone"] = payload["timezone"] or event.timezone
    result = register(
        event, RegistrationData(**payload), now=now_utc(), assisted_by=user
    )
    db.session.commit()
    return registration_view(result.registration), 201 if result.created else 200


@blp.route(ONE + "/cancel", methods=["POST"])
@needs("registrations:write")
@blp.response(200, Registration)
@document_errors(blp, 404, 409)
def cancel(slug: str, registration_id: int):
    """Cancel on the person's behalf; the seat goes to the waiting list."""
    user = api_user()
    event = managed_event(user, slug)
    registration = cancel_for_registrant(event, registration_id, user, now=now_utc())
    db.session.commit()
    return registration_view(registration)


@blp.route(ONE + "/check-in", methods=["POST"])
@needs("registrations:write")
@blp.response(200, Registration)
@document_errors(blp, 404, 409)
def check_in(slug: str, registration_id: int):
    """Check a confirmed person in (which records their attendance)."""
    user = api_user()
    event = managed_event(user, slug)
    registration = set_checked_in(event, registration_id, user, True, now=now_utc())
    db.session.commit()
    return registration_view(registration)
